using System.Xml.Linq;
using Onboarding.Functions;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>The Functions project file: central versions, the isolated worker packages, OpenTelemetry, host.json in the output.</summary>
public sealed class FunctionsProjectFileTests
{
    private static readonly XDocument Project = XDocument.Load(RepositoryRoot.Combine("src", "Functions", "Onboarding.Functions.csproj"));

    [Fact]
    public void Every_package_reference_has_a_central_version_and_none_of_its_own()
    {
        var central = XDocument.Load(RepositoryRoot.Combine("Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Select(p => (string?)p.Attribute("Include"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var references = Project.Descendants("PackageReference").ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r =>
        {
            var name = (string?)r.Attribute("Include");
            Assert.True(central.Contains(name), $"{name} has no <PackageVersion> in Directory.Packages.props.");
            Assert.Null(r.Attribute("Version"));
        });
    }

    [Theory]
    [InlineData("Microsoft.Azure.Functions.Worker")]
    [InlineData("Microsoft.Azure.Functions.Worker.Sdk")]
    [InlineData("Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore")]
    [InlineData("Microsoft.Azure.Functions.Worker.OpenTelemetry")]
    public void Project_references_the_isolated_worker_package_for_ASP_NET_Core_integration_and_OpenTelemetry(string package)
    {
        Assert.Contains(Project.Descendants("PackageReference"), r => (string?)r.Attribute("Include") == package);
    }

    [Fact]
    public void Telemetry_goes_through_OpenTelemetry_as_on_the_Server_and_not_the_classic_Application_Insights_SDK()
    {
        var packages = Project.Descendants("PackageReference").Select(r => (string?)r.Attribute("Include") ?? string.Empty).ToList();

        Assert.DoesNotContain(packages, p => p.Contains("ApplicationInsights", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(typeof(OnboardingFunctionsApplicationBuilderExtensions).Assembly.GetReferencedAssemblies(),
            a => a.Name!.Contains("ApplicationInsights", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Project_is_a_v4_isolated_worker_executable_that_references_Core_and_not_another_host()
    {
        Assert.Equal("Exe", Project.Descendants("OutputType").Single().Value);
        Assert.Equal("v4", Project.Descendants("AzureFunctionsVersion").Single().Value);
        Assert.Contains(Project.Descendants("FrameworkReference"), f => (string?)f.Attribute("Include") == "Microsoft.AspNetCore.App");
        var projects = Project.Descendants("ProjectReference").Select(p => ((string?)p.Attribute("Include"))?.Replace('\\', '/')).ToList();
        Assert.Equal(["../Core/Onboarding.Core.csproj"], projects);
    }

    [Fact]
    public void Host_json_from_the_repository_root_is_copied_to_the_build_and_publish_output()
    {
        var hostJson = Project.Descendants("None").SingleOrDefault(n => ((string?)n.Attribute("Include"))?.Replace('\\', '/') == "../../host.json");

        Assert.NotNull(hostJson);
        Assert.Equal("host.json", (string?)hostJson.Attribute("Link"));
        Assert.Equal("PreserveNewest", (string?)hostJson.Attribute("CopyToOutputDirectory"));
        Assert.Equal("PreserveNewest", (string?)hostJson.Attribute("CopyToPublishDirectory"));
        Assert.True(File.Exists(RepositoryRoot.Combine("host.json")));
    }

    [Fact]
    public void Local_settings_json_is_ignored_by_git_so_real_connection_strings_are_never_committed()
    {
        var ignored = File.ReadAllLines(RepositoryRoot.Combine(".gitignore")).Select(l => l.Trim());

        Assert.Contains("local.settings.json", ignored);
    }
}
