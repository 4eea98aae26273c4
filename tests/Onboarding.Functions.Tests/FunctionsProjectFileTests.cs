using System.Xml.Linq;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>The Functions project file is never restored here, so what restore would check is checked by reading it.</summary>
public sealed class FunctionsProjectFileTests
{
    private static readonly XDocument Project = XDocument.Load(FunctionsSources.ProjectFile);

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
    public void Project_references_the_isolated_worker_package_for_ASP_NET_Core_integration(string package)
    {
        Assert.Contains(Project.Descendants("PackageReference"), r => (string?)r.Attribute("Include") == package);
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
