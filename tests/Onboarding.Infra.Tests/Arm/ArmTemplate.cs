using System.Text.Json.Nodes;

namespace Onboarding.Infra.Tests.Arm;

/// <summary>
/// A compiled ARM template (the output of <c>bicep build</c>) with its modules' nested templates walked, so a
/// policy can look at every resource the deployment creates wherever it is declared.
/// </summary>
internal sealed class ArmTemplate
{
    private ArmTemplate(JsonObject root)
    {
        Root = root;
        RootScope = new TemplateScope(root, parent: null, deployment: null);
    }

    public JsonObject Root { get; }

    public TemplateScope RootScope { get; }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json) as JsonObject ?? throw new InvalidOperationException("A template is a JSON object."));

    /// <summary>Re-reads a (possibly modified) template.</summary>
    public static ArmTemplate From(JsonObject root) => new(root);

    /// <summary>A deep copy that can be modified without touching this template.</summary>
    public ArmTemplate Copy() => new((JsonObject)Root.DeepClone());

    public IEnumerable<TemplateScope> Scopes => RootScope.SelfAndDescendants();

    /// <summary>Resources the deployment creates or updates (not <c>existing</c> references), in every template.</summary>
    public IEnumerable<ArmResource> Resources => Scopes.SelectMany(scope => scope.Resources).Where(resource => !resource.IsExisting);

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ArmResource> FunctionApps =>
        OfType(ArmTypes.Sites).Where(site => site.Kind.Contains("functionapp", StringComparison.OrdinalIgnoreCase));
}

/// <summary>The root template or a module's nested template, with the deployment resource that holds it.</summary>
internal sealed class TemplateScope
{
    public TemplateScope(JsonObject template, TemplateScope? parent, ArmResource? deployment)
    {
        Template = template;
        Parent = parent;
        Deployment = deployment;
        Resources = ReadResources(template);
    }

    public JsonObject Template { get; }

    public TemplateScope? Parent { get; }

    /// <summary>The <c>Microsoft.Resources/deployments</c> resource in <see cref="Parent"/> that deploys this template.</summary>
    public ArmResource? Deployment { get; }

    public IReadOnlyList<ArmResource> Resources { get; }

    public string Path => Deployment is null ? "main" : $"{Parent!.Path}/{Deployment.Name}";

    public IEnumerable<TemplateScope> SelfAndDescendants()
    {
        yield return this;
        foreach (var nested in Resources.Select(resource => resource.NestedTemplate).OfType<TemplateScope>())
        {
            foreach (var scope in nested.SelfAndDescendants())
            {
                yield return scope;
            }
        }
    }

    public ArmResource? FindBySymbolicName(string symbolicName) =>
        Resources.FirstOrDefault(resource => resource.SymbolicName == symbolicName);

    public ArmResource? FindDeployment(string name) =>
        Resources.FirstOrDefault(resource =>
            string.Equals(resource.Type, ArmTypes.Deployments, StringComparison.OrdinalIgnoreCase) && resource.Name == name);

    private List<ArmResource> ReadResources(JsonObject template)
    {
        var resources = new List<ArmResource>();
        switch (template["resources"])
        {
            // languageVersion 1.0: an array.
            case JsonArray array:
                resources.AddRange(array.OfType<JsonObject>().Select(json => new ArmResource(json, this, symbolicName: null)));
                break;

            // languageVersion 2.0: an object keyed by symbolic name.
            case JsonObject byName:
                resources.AddRange(byName
                    .Where(entry => entry.Value is JsonObject)
                    .Select(entry => new ArmResource((JsonObject)entry.Value!, this, entry.Key)));
                break;
        }

        return resources;
    }
}

/// <summary>One resource declaration in a template.</summary>
internal sealed class ArmResource
{
    private readonly Lazy<TemplateScope?> _nestedTemplate;

    public ArmResource(JsonObject json, TemplateScope scope, string? symbolicName)
    {
        Json = json;
        Scope = scope;
        SymbolicName = symbolicName;
        _nestedTemplate = new Lazy<TemplateScope?>(() =>
            string.Equals(Type, ArmTypes.Deployments, StringComparison.OrdinalIgnoreCase)
            && Json["properties"]?["template"] is JsonObject template
                ? new TemplateScope(template, Scope, this)
                : null);
    }

    public JsonObject Json { get; }

    public TemplateScope Scope { get; }

    public string? SymbolicName { get; }

    public string Type => Json["type"]?.GetValue<string>() ?? "";

    /// <summary>The name as written: a literal or an ARM expression.</summary>
    public string Name => Json["name"]?.GetValue<string>() ?? "";

    public string Kind => Json["kind"]?.GetValue<string>() ?? "";

    public JsonObject? Properties => Json["properties"] as JsonObject;

    public bool IsExisting => Json["existing"] is JsonValue existing && existing.TryGetValue(out bool value) && value;

    /// <summary>For a module (a nested deployment): its template.</summary>
    public TemplateScope? NestedTemplate => _nestedTemplate.Value;

    /// <summary>The last segment of a child resource's name, e.g. 'scm' for <c>[format('{0}/{1}', parameters('name'), 'scm')]</c>.</summary>
    public string LastNameSegment => ArmExpressions.LastNameSegment(Name);

    public override string ToString() => $"{Type} {Name} in {Scope.Path}";

    /// <summary>Removes this resource from the JSON that declares it (for tests that weaken a copy).</summary>
    public void RemoveFromTemplate()
    {
        switch (Json.Parent)
        {
            case JsonArray array:
                array.Remove(Json);
                break;
            case JsonObject byName when SymbolicName is not null:
                byName.Remove(SymbolicName);
                break;
            default:
                throw new InvalidOperationException($"Cannot remove {this}.");
        }
    }
}

internal static class ArmTypes
{
    public const string Deployments = "Microsoft.Resources/deployments";
    public const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    public const string StorageTables = "Microsoft.Storage/storageAccounts/tableServices/tables";
    public const string KeyVaults = "Microsoft.KeyVault/vaults";
    public const string ApplicationInsights = "Microsoft.Insights/components";
    public const string ServerFarms = "Microsoft.Web/serverfarms";
    public const string Sites = "Microsoft.Web/sites";
    public const string SiteConfig = "Microsoft.Web/sites/config";
    public const string BasicPublishingCredentialsPolicies = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    public const string RoleAssignments = "Microsoft.Authorization/roleAssignments";
}
