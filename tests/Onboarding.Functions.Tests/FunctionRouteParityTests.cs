using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Onboarding.Core.Http;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>src/Functions declares exactly Core's route table, through anonymous HTTP triggers, as one-line delegations.</summary>
public sealed class FunctionRouteParityTests
{
    private static readonly IReadOnlyList<SyntaxTree> Sources = FunctionsSources.Load();

    public static TheoryData<string> RouteNames() => [.. ApiRoutes.All.Select(r => r.Name)];

    [Fact]
    public void Functions_declare_exactly_the_routes_of_ApiRoutes_All_by_name_verb_and_template()
    {
        var functions = FunctionDeclarations.Find(Sources);

        Assert.Empty(FunctionDeclarations.Mismatches(functions, ApiRoutes.All));
        Assert.Equal(ApiRoutes.All.Count, functions.Count);
    }

    [Fact]
    public void Every_function_has_exactly_one_http_trigger_at_anonymous_level_because_the_bearer_token_is_the_gate()
    {
        var functions = FunctionDeclarations.Find(Sources);

        Assert.NotEmpty(functions);
        Assert.All(functions, f =>
        {
            Assert.True(f.Triggers == 1, $"{f.Location} has {f.Triggers} [HttpTrigger] parameters.");
            Assert.Equal("AuthorizationLevel.Anonymous", f.AuthorizationLevel);
        });
    }

    [Fact]
    public void Every_route_template_resolves_to_a_constant_of_ApiRoutes()
    {
        Assert.All(FunctionDeclarations.Find(Sources), f => Assert.True(f.Template is not null, $"{f.Location}: Route is not ApiRoutes.X or a literal."));
    }

    [Fact]
    public void Function_classes_only_delegate_to_Core_in_a_single_expression()
    {
        Assert.Empty(FunctionShape.LogicInFunctionClasses(Sources));
    }

    [Fact]
    public void Bearer_middleware_is_registered_after_the_ASP_NET_Core_integration()
    {
        Assert.Empty(FunctionShape.MiddlewareOrder(FunctionsSources.Program(Sources)));
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public void Parity_check_reports_a_route_whose_function_was_dropped(string name)
    {
        var trees = Sources.Select(t => WithoutFunction(t, name)).ToList();

        var mismatches = FunctionDeclarations.Mismatches(FunctionDeclarations.Find(trees), ApiRoutes.All);

        var mismatch = Assert.Single(mismatches);
        Assert.StartsWith($"Core route {name} (", mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public void Parity_check_reports_a_route_added_to_Core_without_a_function()
    {
        var routes = ApiRoutes.All.Append(new ApiRoute("GetAudit", "GET", "onboarding/audit"));

        var mismatches = FunctionDeclarations.Mismatches(FunctionDeclarations.Find(Sources), routes);

        Assert.Equal(["Core route GetAudit (GET onboarding/audit) has no matching function."], mismatches);
    }

    [Fact]
    public void Parity_check_reports_a_function_that_is_not_in_Core()
    {
        const string extra = """
            using Microsoft.AspNetCore.Http;
            using Microsoft.Azure.Functions.Worker;
            namespace Onboarding.Functions;
            public sealed class AuditFunctions(AuditEndpoints endpoints)
            {
                [Function("GetAudit")]
                public Task<IResult> GetAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "onboarding/audit")] HttpRequest request) =>
                    endpoints.Get(request.HttpContext);
            }
            """;
        var trees = Sources.Append(FunctionsSources.Parse(extra, "AuditFunctions.cs")).ToList();

        var mismatches = FunctionDeclarations.Mismatches(FunctionDeclarations.Find(trees), ApiRoutes.All);

        Assert.Equal(["Function GetAudit (GET onboarding/audit) is not in ApiRoutes.All."], mismatches);
    }

    [Fact]
    public void Parity_check_reports_a_function_whose_verb_differs_from_Core()
    {
        var trees = Sources.Select(t => Replace(t, "\"put\", Route = ApiRoutes.Step", "\"post\", Route = ApiRoutes.Step")).ToList();

        var mismatches = FunctionDeclarations.Mismatches(FunctionDeclarations.Find(trees), ApiRoutes.All);

        Assert.Contains($"Core route SaveStep (PUT {ApiRoutes.Step}) has no matching function.", mismatches);
        Assert.Contains($"Function SaveStep (POST {ApiRoutes.Step}) is not in ApiRoutes.All.", mismatches);
    }

    [Fact]
    public void Parity_check_reports_a_function_bound_to_another_routes_template()
    {
        var trees = Sources.Select(t => Replace(t, "\"get\", Route = ApiRoutes.Summary", "\"get\", Route = ApiRoutes.Progress")).ToList();

        var mismatches = FunctionDeclarations.Mismatches(FunctionDeclarations.Find(trees), ApiRoutes.All);

        Assert.Contains($"Function GetSummary (GET {ApiRoutes.Progress}) is not in ApiRoutes.All.", mismatches);
    }

    [Fact]
    public void Shape_check_reports_logic_in_a_function_method()
    {
        var trees = Sources.Select(t => Replace(t, "endpoints.GetStep(request.HttpContext, step);", "step.Length > 1 ? endpoints.Status(request.HttpContext) : endpoints.GetStep(request.HttpContext, step);")).ToList();

        var problem = Assert.Single(FunctionShape.LogicInFunctionClasses(trees));
        Assert.StartsWith("OnboardingFunctions.GetStep:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_check_reports_middleware_registered_before_the_ASP_NET_Core_integration()
    {
        const string program = """
            var builder = FunctionsApplication.CreateBuilder(args);
            builder.UseMiddleware<BearerAuthenticationMiddleware>();
            builder.ConfigureFunctionsWebApplication();
            builder.Build().Run();
            """;

        var problem = Assert.Single(FunctionShape.MiddlewareOrder(FunctionsSources.Parse(program, "Program.cs")));
        Assert.Contains("comes before ConfigureFunctionsWebApplication()", problem, StringComparison.Ordinal);
    }

    private static SyntaxTree WithoutFunction(SyntaxTree tree, string name)
    {
        var root = tree.GetRoot();
        var method = FunctionDeclarations.Find([tree]).SingleOrDefault(f => f.Name == name)?.Syntax;
        return method is null ? tree : tree.WithRootAndOptions(root.RemoveNode(method, SyntaxRemoveOptions.KeepNoTrivia)!, tree.Options);
    }

    private static SyntaxTree Replace(SyntaxTree tree, string from, string to)
    {
        var text = tree.GetText().ToString();
        return text.Contains(from, StringComparison.Ordinal) ? FunctionsSources.Parse(text.Replace(from, to, StringComparison.Ordinal), tree.FilePath) : tree;
    }
}
