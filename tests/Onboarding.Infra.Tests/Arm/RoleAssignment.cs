using System.Text.RegularExpressions;

namespace Onboarding.Infra.Tests.Arm;

/// <summary>Who a role assignment is for, as far as the template says.</summary>
internal abstract record Principal
{
    /// <summary>The system-assigned identity of a function app in the template.</summary>
    public sealed record FunctionAppIdentity(ArmResource Site) : Principal;

    /// <summary>A parameter of the main template (e.g. an operator's object id).</summary>
    public sealed record MainTemplateParameter(string Name) : Principal;

    /// <summary>Anything else: a literal id, another resource's identity, an unfollowed expression.</summary>
    public sealed record Other(string Expression) : Principal;
}

/// <summary>A <c>Microsoft.Authorization/roleAssignments</c> resource, read through its module boundaries.</summary>
internal sealed partial class RoleAssignment(ArmResource resource)
{
    [GeneratedRegex(@"^\[reference\((?<target>.+), '[^']+', 'full'\)\.identity\.principalId\]$")]
    private static partial Regex IdentityPrincipalReference();

    // subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '<guid>' | variables('<name>')), or a literal id.
    [GeneratedRegex(@"Microsoft\.Authorization/roleDefinitions(?:', (?:'(?<literal>[0-9a-fA-F-]{36})'|(?<variable>variables\('[^']+'\)))|/(?<literal>[0-9a-fA-F-]{36}))")]
    private static partial Regex RoleDefinitionArgument();

    public ArmResource Resource { get; } = resource;

    public string PrincipalType => Resource.Properties?["principalType"]?.GetValue<string>() ?? "";

    public string PrincipalIdExpression => Resource.Properties?["principalId"]?.GetValue<string>() ?? "";

    /// <summary>The built-in role's GUID, or null when the template does not pin it.</summary>
    public string? RoleDefinitionGuid
    {
        get
        {
            var expression = Resource.Properties?["roleDefinitionId"]?.GetValue<string>() ?? "";
            var match = RoleDefinitionArgument().Match(expression);
            if (!match.Success)
            {
                return null;
            }

            return match.Groups["literal"].Success
                ? match.Groups["literal"].Value.ToLowerInvariant()
                : ArmExpressions.ResolveArgument(match.Groups["variable"].Value, Resource.Scope)?.ToLowerInvariant();
        }
    }

    public Principal Principal
    {
        get
        {
            var resolved = ArmExpressions.Resolve(Resource.Properties?["principalId"], Resource.Scope);
            var text = resolved.AsString ?? "";
            if (ArmExpressions.ParameterReference().Match(text) is { Success: true } parameter && resolved.Scope.Parent is null)
            {
                return new Principal.MainTemplateParameter(parameter.Groups["name"].Value);
            }

            if (IdentityPrincipalReference().Match(text) is { Success: true } identity)
            {
                var target = identity.Groups["target"].Value;
                var site = target.StartsWith('\'')
                    ? resolved.Scope.FindBySymbolicName(target.Trim('\''))
                    : target.StartsWith("resourceId('Microsoft.Web/sites'", StringComparison.Ordinal)
                        ? resolved.Scope.Resources.SingleOrDefault(r => r.Type == ArmTypes.Sites && !r.IsExisting)
                        : null;
                if (site is { Type: ArmTypes.Sites }
                    && site.Kind.Contains("functionapp", StringComparison.OrdinalIgnoreCase)
                    && (site.Json["identity"]?["type"]?.GetValue<string>() ?? "").Contains("SystemAssigned", StringComparison.Ordinal))
                {
                    return new Principal.FunctionAppIdentity(site);
                }
            }

            return new Principal.Other(text);
        }
    }

    /// <summary>
    /// True when the name is <c>guid(scope, principalId, roleId)</c>: the same assignment always gets the same
    /// name, and a new principal (a recreated app) gets a new one instead of a conflict.
    /// </summary>
    public bool HasDeterministicName
    {
        get
        {
            var arguments = ArmExpressions.CallArguments(Resource.Name, "guid");
            if (arguments.Count != 3 || PrincipalIdExpression.Length == 0)
            {
                return false;
            }

            var scopeExpression = Resource.Json["scope"]?.GetValue<string>() ?? "";
            var scopeParameters = ArmExpressions.ParameterUse().Matches(scopeExpression).Select(m => m.Value).ToHashSet();
            var firstParameters = ArmExpressions.ParameterUse().Matches(arguments[0]).Select(m => m.Value).ToHashSet();
            var scopeType = scopeExpression.Split('\'').Skip(1).FirstOrDefault()?.Split('/').Take(2) is { } parts
                ? string.Join('/', parts)
                : "";

            return scopeParameters.Count > 0
                && scopeParameters.SetEquals(firstParameters)
                && scopeType.Length > 0
                && arguments[0].Contains(scopeType, StringComparison.Ordinal)
                && arguments[1] == ArmExpressions.Inner(PrincipalIdExpression)
                && RoleDefinitionGuid is { } role
                && string.Equals(ArmExpressions.ResolveArgument(arguments[2], Resource.Scope), role, StringComparison.OrdinalIgnoreCase);
        }
    }

    public override string ToString() => Resource.ToString();
}
