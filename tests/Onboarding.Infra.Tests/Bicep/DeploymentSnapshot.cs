using System.Text.Json.Nodes;
using Xunit;

namespace Onboarding.Infra.Tests.Bicep;

/// <summary>
/// What <c>bicep snapshot</c> predicts a deployment of infra/main.bicep creates for a given set of parameters:
/// modules flattened, names and values evaluated offline wherever they do not depend on a deployed resource.
/// </summary>
internal sealed class DeploymentSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000a5b1";
    public const string TenantId = "00000000-0000-0000-0000-00000000c0de";
    public const string ResourceGroup = "rg-onboarding";
    public const string Location = "westeurope";

    private DeploymentSnapshot(JsonObject root)
    {
        Root = root;
        Resources = (root["predictedResources"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().ToList();
    }

    public JsonObject Root { get; }

    public IReadOnlyList<JsonObject> Resources { get; }

    public JsonObject Outputs => Root["outputs"] as JsonObject ?? new JsonObject();

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>
    /// Snapshots a copy of infra/ (the command writes its result next to the parameters file, so the working tree
    /// stays untouched) with a .bicepparam made of <paramref name="parameters"/> (Bicep literals by name).
    /// </summary>
    public static async Task<DeploymentSnapshot> CreateAsync(IReadOnlyDictionary<string, string> parameters)
    {
        var workspace = Directory.CreateTempSubdirectory("onboarding-infra-");
        try
        {
            CopyDirectory(RepositoryPaths.Infra, workspace.FullName);
            var bicepParam = Path.Combine(workspace.FullName, "snapshot.bicepparam");
            await File.WriteAllLinesAsync(
                bicepParam,
                ["using 'main.bicep'", .. parameters.Select(parameter => $"param {parameter.Key} = {parameter.Value}")]);

            var run = await BicepCli.RunAsync(
                workspace.FullName,
                "snapshot", "snapshot.bicepparam",
                "--subscription-id", SubscriptionId,
                "--tenant-id", TenantId,
                "--resource-group", ResourceGroup,
                "--location", Location);
            var snapshotFile = Path.Combine(workspace.FullName, "snapshot.snapshot.json");
            if (run.ExitCode != 0 || !File.Exists(snapshotFile))
            {
                throw new InvalidOperationException($"{run.Command} failed ({run.ExitCode}):\n{run.StandardOutput}\n{run.StandardError}");
            }

            return new DeploymentSnapshot(JsonNode.Parse(await File.ReadAllTextAsync(snapshotFile)) as JsonObject
                ?? throw new InvalidOperationException("A snapshot is a JSON object."));
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }
}
