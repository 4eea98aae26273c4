using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;
using Onboarding.Functions;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>
/// The functions the Worker SDK generated for the host (<c>functions.metadata</c> of the built app) are exactly Core's
/// route table, through anonymous HTTP triggers: the bearer token is the gate, not a function key.
/// </summary>
public sealed class FunctionRouteParityTests
{
    private static readonly IReadOnlyList<FunctionMetadataEntry> Generated = FunctionsMetadata.Load();

    [Fact]
    public void Generated_functions_are_exactly_the_routes_of_ApiRoutes_All_by_name_verb_and_route()
    {
        Assert.Empty(FunctionsMetadata.Mismatches(Generated, ApiRoutes.All));
        Assert.Equal(ApiRoutes.All.Count, Generated.Count);
    }

    [Fact]
    public void Every_function_has_exactly_one_trigger_an_anonymous_http_trigger()
    {
        Assert.NotEmpty(Generated);
        Assert.All(Generated, f =>
        {
            Assert.Equal(["httpTrigger"], f.Triggers);
            Assert.Equal("Anonymous", f.AuthLevel);
        });
    }

    [Fact]
    public void Every_entry_point_is_a_method_of_the_app_declared_as_that_function()
    {
        var assembly = typeof(OnboardingFunctionsApplicationBuilderExtensions).Assembly;

        Assert.All(Generated, f =>
        {
            var split = f.EntryPoint.LastIndexOf('.');
            var type = assembly.GetType(f.EntryPoint[..split]);
            Assert.True(type is not null, $"{f.Name}: no type for entry point {f.EntryPoint}.");
            var method = type.GetMethod(f.EntryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance);
            Assert.True(method is not null, $"{f.Name}: no public method for entry point {f.EntryPoint}.");
            Assert.Equal(f.Name, method.GetCustomAttribute<FunctionAttribute>()?.Name);
        });
    }

    [Fact]
    public void Parity_check_reports_a_route_whose_function_is_missing()
    {
        var functions = Generated.Where(f => f.Name != "GetSummary").ToList();

        var mismatch = Assert.Single(FunctionsMetadata.Mismatches(functions, ApiRoutes.All));
        Assert.Equal($"Core route GetSummary (GET {ApiRoutes.Summary}) has no matching function.", mismatch);
    }

    [Fact]
    public void Parity_check_reports_a_route_added_to_Core_without_a_function()
    {
        var routes = ApiRoutes.All.Append(new ApiRoute("GetAudit", "GET", "onboarding/audit"));

        Assert.Equal(["Core route GetAudit (GET onboarding/audit) has no matching function."], FunctionsMetadata.Mismatches(Generated, routes));
    }

    [Fact]
    public void Parity_check_reports_a_function_that_is_not_in_Core()
    {
        var functions = Generated.Append(new FunctionMetadataEntry("GetAudit", "Onboarding.Functions.AuditFunctions.GetAudit", ["httpTrigger"], "Anonymous", ["GET"], "onboarding/audit")).ToList();

        Assert.Equal(["Function GetAudit (GET onboarding/audit) is not in ApiRoutes.All."], FunctionsMetadata.Mismatches(functions, ApiRoutes.All));
    }

    [Fact]
    public void Parity_check_reports_a_function_whose_verb_differs_from_Core()
    {
        var functions = Generated.Select(f => f.Name == "SaveStep" ? f with { Methods = ["POST"] } : f).ToList();

        var mismatches = FunctionsMetadata.Mismatches(functions, ApiRoutes.All);

        Assert.Contains($"Core route SaveStep (PUT {ApiRoutes.Step}) has no matching function.", mismatches);
        Assert.Contains($"Function SaveStep (POST {ApiRoutes.Step}) is not in ApiRoutes.All.", mismatches);
    }

    [Fact]
    public void Parity_check_reports_a_function_bound_to_another_routes_template()
    {
        var functions = Generated.Select(f => f.Name == "GetSummary" ? f with { Route = ApiRoutes.Progress } : f).ToList();

        Assert.Contains($"Function GetSummary (GET {ApiRoutes.Progress}) is not in ApiRoutes.All.", FunctionsMetadata.Mismatches(functions, ApiRoutes.All));
    }

    [Fact]
    public void Parity_check_reports_a_function_name_generated_twice()
    {
        var functions = Generated.Append(Generated.Single(f => f.Name == "GetHealth")).ToList();

        Assert.Contains("Function name GetHealth is generated 2 times.", FunctionsMetadata.Mismatches(functions, ApiRoutes.All));
    }
}
