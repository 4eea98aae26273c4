using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Onboarding.Functions.Tests;

/// <summary>Source rules that keep src/Functions a thin adapter: no logic in function classes, middleware in the right place.</summary>
internal static class FunctionShape
{
    /// <summary>
    /// Members of function classes that do more than delegate: every member must be a function whose body is one
    /// call (expression body or a single return), with no lambdas, conditions or other computation in it.
    /// </summary>
    public static IReadOnlyList<string> LogicInFunctionClasses(IEnumerable<SyntaxTree> trees)
    {
        var problems = new List<string>();
        var functionClasses = trees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            .Where(c => c.Members.OfType<MethodDeclarationSyntax>().Any(IsFunction));
        foreach (var type in functionClasses)
        {
            foreach (var member in type.Members)
            {
                var name = $"{type.Identifier.Text}.{Describe(member)}";
                if (member is not MethodDeclarationSyntax method || !IsFunction(method))
                {
                    problems.Add($"{name}: a function class holds only [Function] methods (dependencies come through the primary constructor).");
                    continue;
                }

                var body = method.ExpressionBody?.Expression
                    ?? (method.Body?.Statements is [ReturnStatementSyntax { Expression: { } returned }] ? returned : null);
                if (body is null)
                {
                    problems.Add($"{name}: the body must be one expression (=> or a single return).");
                }
                else if (body is not InvocationExpressionSyntax || body.DescendantNodes().Any(IsLogic))
                {
                    problems.Add($"{name}: the body must be a single call into Core, not '{body}'.");
                }
            }
        }

        return problems;
    }

    /// <summary>Problems with the order of the worker set-up in Program.cs (empty when it is right).</summary>
    public static IReadOnlyList<string> MiddlewareOrder(SyntaxTree program)
    {
        var invocations = program.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().ToList();
        var configure = invocations.Where(i => CalledName(i) is SimpleNameSyntax { Identifier.Text: "ConfigureFunctionsWebApplication" }).ToList();
        var middleware = invocations.Where(i => CalledName(i) is GenericNameSyntax { Identifier.Text: "UseMiddleware" }).ToList();

        var problems = new List<string>();
        if (configure.Count != 1)
        {
            problems.Add($"ConfigureFunctionsWebApplication() is called {configure.Count} times; expected once.");
        }

        if (!middleware.Any(m => CalledName(m) is GenericNameSyntax g && g.TypeArgumentList.Arguments.ToString() == "BearerAuthenticationMiddleware"))
        {
            problems.Add("UseMiddleware<BearerAuthenticationMiddleware>() is not called.");
        }

        if (configure.Count == 1)
        {
            problems.AddRange(middleware
                .Where(m => m.SpanStart < configure[0].SpanStart)
                .Select(m => $"{m} comes before ConfigureFunctionsWebApplication(): the HttpContext would not be available to it."));
        }

        return problems;
    }

    private static bool IsFunction(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Function" or "FunctionAttribute"
            || a.Name.ToString().EndsWith(".Function", StringComparison.Ordinal)
            || a.Name.ToString().EndsWith(".FunctionAttribute", StringComparison.Ordinal));

    private static bool IsLogic(SyntaxNode node) => node is LambdaExpressionSyntax
        or AnonymousMethodExpressionSyntax
        or ConditionalExpressionSyntax
        or SwitchExpressionSyntax
        or BinaryExpressionSyntax
        or AssignmentExpressionSyntax
        or IsPatternExpressionSyntax
        or AwaitExpressionSyntax
        or QueryExpressionSyntax
        or ObjectCreationExpressionSyntax
        or ImplicitObjectCreationExpressionSyntax
        or InterpolatedStringExpressionSyntax
        || (node is InvocationExpressionSyntax && node.Parent is ArgumentSyntax);

    private static SimpleNameSyntax? CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax m => m.Name,
        SimpleNameSyntax s => s,
        _ => null,
    };

    private static string Describe(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        PropertyDeclarationSyntax p => p.Identifier.Text,
        FieldDeclarationSyntax f => string.Join(", ", f.Declaration.Variables.Select(v => v.Identifier.Text)),
        ConstructorDeclarationSyntax => "constructor",
        _ => member.Kind().ToString(),
    };
}
