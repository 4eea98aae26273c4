using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Onboarding.Infra.Tests.Arm;

/// <summary>A value after following parameter, variable and module-output references, and the template it lives in.</summary>
internal sealed record ResolvedValue(JsonNode? Value, TemplateScope Scope)
{
    public string? AsString => Value is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}

/// <summary>
/// Just enough of the ARM expression language to follow values across module boundaries: a
/// <c>[parameters('x')]</c> in a module is the value its parent passed, a <c>[variables('x')]</c> is the template's
/// variable, and <c>[reference(resourceId('Microsoft.Resources/deployments', 'm'), ...).outputs.o.value]</c> is
/// output <c>o</c> of module <c>m</c>. Anything else is left as written.
/// </summary>
internal static partial class ArmExpressions
{
    [GeneratedRegex(@"^\[parameters\('(?<name>[^']+)'\)\]$")]
    public static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('(?<name>[^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[reference\(resourceId\('Microsoft\.Resources/deployments', '(?<deployment>[^']+)'\), '[^']+'\)\.outputs\.(?<output>[A-Za-z0-9_]+)\.value\]$")]
    private static partial Regex ModuleOutputReference();

    [GeneratedRegex(@"parameters\('(?<name>[^']+)'\)")]
    public static partial Regex ParameterUse();

    [GeneratedRegex(@"'(?<segment>[^']*)'\)\]$")]
    private static partial Regex LastQuotedArgument();

    public static ResolvedValue Resolve(JsonNode? value, TemplateScope scope)
    {
        // Templates are finite and acyclic; the bound only guards against a malformed one.
        for (var step = 0; step < 32; step++)
        {
            var text = value is JsonValue jsonValue && jsonValue.TryGetValue(out string? s) ? s : null;
            if (text is null)
            {
                return new ResolvedValue(value, scope);
            }

            if (ParameterReference().Match(text) is { Success: true } parameter)
            {
                if (scope.Deployment is null)
                {
                    return new ResolvedValue(value, scope); // a parameter of the main template: known only at deployment
                }

                value = scope.Deployment.Properties?["parameters"]?[parameter.Groups["name"].Value]?["value"];
                scope = scope.Parent!;
                continue;
            }

            if (VariableReference().Match(text) is { Success: true } variable
                && scope.Template["variables"] is JsonObject variables
                && variables.ContainsKey(variable.Groups["name"].Value))
            {
                value = variables[variable.Groups["name"].Value];
                continue;
            }

            if (ModuleOutputReference().Match(text) is { Success: true } output
                && scope.FindDeployment(output.Groups["deployment"].Value)?.NestedTemplate is { } module)
            {
                value = module.Template["outputs"]?[output.Groups["output"].Value]?["value"];
                scope = module;
                continue;
            }

            return new ResolvedValue(value, scope);
        }

        throw new InvalidOperationException("Reference chain too long.");
    }

    /// <summary>Resolves one argument inside an expression: a quoted literal or <c>variables('x')</c>.</summary>
    public static string? ResolveArgument(string argument, TemplateScope scope)
    {
        argument = argument.Trim();
        if (argument.Length >= 2 && argument[0] == '\'' && argument[^1] == '\'')
        {
            return argument[1..^1];
        }

        return Resolve(JsonValue.Create($"[{argument}]"), scope).AsString is { } resolved && !resolved.StartsWith('[')
            ? resolved
            : null;
    }

    /// <summary>Splits the arguments of the outermost call in <paramref name="expression"/>, e.g. <c>[guid(a, b(c, d), e)]</c>.</summary>
    public static IReadOnlyList<string> CallArguments(string expression, string function)
    {
        var prefix = $"[{function}(";
        if (!expression.StartsWith(prefix, StringComparison.Ordinal) || !expression.EndsWith(")]", StringComparison.Ordinal))
        {
            return [];
        }

        var inner = expression[prefix.Length..^2];
        var arguments = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var inString = false;
        foreach (var c in inner)
        {
            if (c == '\'')
            {
                inString = !inString;
            }
            else if (!inString && c is '(' or '[')
            {
                depth++;
            }
            else if (!inString && c is ')' or ']')
            {
                depth--;
            }
            else if (!inString && depth == 0 && c == ',')
            {
                arguments.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        arguments.Add(current.ToString().Trim());
        return arguments;
    }

    /// <summary>The inside of a bracketed expression: <c>[x]</c> gives <c>x</c>; a literal gives itself quoted.</summary>
    public static string Inner(string expression) =>
        expression.StartsWith('[') && expression.EndsWith(']') ? expression[1..^1] : $"'{expression}'";

    public static string LastNameSegment(string name) =>
        LastQuotedArgument().Match(name) is { Success: true } match
            ? match.Groups["segment"].Value
            : name[(name.LastIndexOf('/') + 1)..];
}
