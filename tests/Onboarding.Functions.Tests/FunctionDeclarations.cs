using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Onboarding.Core.Http;

namespace Onboarding.Functions.Tests;

/// <summary>One method with a <c>[Function]</c> attribute, as read from source.</summary>
/// <param name="Name">The function name, or null when it is not a string literal or <c>nameof</c>.</param>
/// <param name="Triggers">How many parameters carry <c>[HttpTrigger]</c>.</param>
/// <param name="AuthorizationLevel">The trigger's first argument as written, e.g. <c>AuthorizationLevel.Anonymous</c>.</param>
/// <param name="Methods">The trigger's verbs, upper case.</param>
/// <param name="Template">The route template, with <c>ApiRoutes.X</c> resolved; null when it cannot be resolved.</param>
internal sealed record FunctionDeclaration(
    string? Name,
    string Location,
    int Triggers,
    string? AuthorizationLevel,
    IReadOnlyList<string> Methods,
    string? Template,
    MethodDeclarationSyntax Syntax);

/// <summary>Reads the functions declared in source and compares them with Core's route table.</summary>
internal static class FunctionDeclarations
{
    public static IReadOnlyList<FunctionDeclaration> Find(IEnumerable<SyntaxTree> trees) =>
    [
        .. trees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Select(m => (Method: m, Function: FindAttribute(m.AttributeLists, "Function")))
            .Where(x => x.Function is not null)
            .Select(x => Read(x.Method, x.Function!)),
    ];

    /// <summary>
    /// Every difference between the declared functions and <paramref name="routes"/>, one line each; empty when
    /// the (name, verb, template) triples are the same set and no function name is declared twice.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyList<FunctionDeclaration> functions, IEnumerable<ApiRoute> routes)
    {
        var declared = functions
            .SelectMany(f => f.Methods.DefaultIfEmpty("<no verb>").Select(verb => (Name: f.Name ?? "<unresolved name>", Method: verb, Template: f.Template ?? "<unresolved route>")))
            .ToHashSet();
        var expected = routes.Select(r => (r.Name, r.Method, r.Template)).ToHashSet();

        var problems = new List<string>();
        problems.AddRange(expected.Except(declared).Order().Select(r => $"Core route {r.Name} ({r.Method} {r.Template}) has no matching function."));
        problems.AddRange(declared.Except(expected).Order().Select(f => $"Function {f.Name} ({f.Method} {f.Template}) is not in ApiRoutes.All."));
        problems.AddRange(functions
            .GroupBy(f => f.Name)
            .Where(g => g.Count() > 1)
            .Select(g => $"Function name {g.Key} is declared {g.Count()} times."));
        return problems;
    }

    private static FunctionDeclaration Read(MethodDeclarationSyntax method, AttributeSyntax function)
    {
        var triggers = method.ParameterList.Parameters
            .Select(p => FindAttribute(p.AttributeLists, "HttpTrigger"))
            .OfType<AttributeSyntax>()
            .ToList();
        var trigger = triggers.FirstOrDefault();
        var positional = trigger?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList() ?? [];
        var route = trigger?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "Route");

        var line = method.GetLocation().GetLineSpan();
        return new FunctionDeclaration(
            Name: FunctionName(function),
            Location: $"{Path.GetFileName(line.Path)}:{line.StartLinePosition.Line + 1} {method.Identifier.Text}",
            Triggers: triggers.Count,
            AuthorizationLevel: positional.FirstOrDefault()?.Expression.ToString(),
            Methods: [.. positional.Skip(1).Select(a => StringLiteral(a.Expression)?.ToUpperInvariant() ?? $"<{a.Expression}>")],
            Template: route is null ? null : RouteTemplate(route.Expression),
            Syntax: method);
    }

    /// <summary>Matches <c>[Name]</c>, <c>[NameAttribute]</c> and qualified forms of either.</summary>
    private static AttributeSyntax? FindAttribute(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
        {
            var simple = a.Name switch
            {
                QualifiedNameSyntax q => q.Right.Identifier.Text,
                AliasQualifiedNameSyntax q => q.Name.Identifier.Text,
                SimpleNameSyntax s => s.Identifier.Text,
                _ => a.Name.ToString(),
            };
            return simple == name || simple == name + "Attribute";
        });

    private static string? FunctionName(AttributeSyntax function)
    {
        var argument = function.ArgumentList?.Arguments.FirstOrDefault()?.Expression;
        return argument switch
        {
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } nameOf
                => nameOf.ArgumentList.Arguments.Single().Expression switch
                {
                    MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
                    SimpleNameSyntax s => s.Identifier.Text,
                    _ => null,
                },
            null => null,
            _ => StringLiteral(argument),
        };
    }

    private static string? StringLiteral(ExpressionSyntax expression) =>
        expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal.Token.ValueText
            : null;

    /// <summary>A string literal, or a constant of <see cref="ApiRoutes"/> (<c>ApiRoutes.Step</c>, fully qualified or not).</summary>
    private static string? RouteTemplate(ExpressionSyntax expression)
    {
        if (StringLiteral(expression) is { } literal)
        {
            return literal;
        }

        var (owner, member) = expression switch
        {
            MemberAccessExpressionSyntax m => (m.Expression.ToString().Split('.').Last(), m.Name.Identifier.Text),
            IdentifierNameSyntax i => (nameof(ApiRoutes), i.Identifier.Text),
            _ => (null, null),
        };
        if (owner != nameof(ApiRoutes) || member is null)
        {
            return null;
        }

        var field = typeof(ApiRoutes).GetField(member, BindingFlags.Public | BindingFlags.Static);
        return field is { IsLiteral: true } ? field.GetRawConstantValue() as string : null;
    }
}
