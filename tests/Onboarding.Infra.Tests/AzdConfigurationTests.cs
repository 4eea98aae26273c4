using System.Text.Json.Nodes;
using Xunit;

namespace Onboarding.Infra.Tests;

/// <summary><c>azd up</c> finds the template, the parameters and the project to deploy.</summary>
public sealed class AzdConfigurationTests
{
    [Fact]
    public async Task Azd_parameters_file_names_only_template_parameters_and_every_required_one()
    {
        var template = await Infra.CompiledTemplateAsync();
        var declared = template.Root["parameters"]!.AsObject();
        var mapped = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json")))!["parameters"]!.AsObject();

        Assert.All(mapped, parameter => Assert.True(declared.ContainsKey(parameter.Key), $"{parameter.Key} is not a parameter of main.bicep."));
        var required = declared.Where(parameter => parameter.Value?["defaultValue"] is null).Select(parameter => parameter.Key);
        Assert.All(required, name => Assert.True(mapped.ContainsKey(name), $"Required parameter {name} has no azd value."));
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_the_api_service()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "azure.yaml"))
            .Select(line => line.Split('#')[0].TrimEnd())
            .Where(line => line.Length > 0)
            .ToList();

        var api = lines.IndexOf("  api:");
        Assert.True(api > lines.IndexOf("services:"), "azure.yaml has no 'api' service.");
        var service = lines.Skip(api + 1).TakeWhile(line => line.StartsWith("    ", StringComparison.Ordinal)).Select(line => line.Trim()).ToList();
        Assert.Contains("project: ./src/Functions", service);
        Assert.Contains("language: dotnet", service);
        Assert.Contains("host: function", service);
    }

    [Fact]
    public async Task Function_app_carries_the_service_name_azd_looks_for()
    {
        var site = (await Infra.SampleSnapshotAsync()).Single(Arm.ArmTypes.Sites);

        Assert.Equal("api", site["tags"]?["azd-service-name"]?.GetValue<string>());
    }
}
