using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// A step's JSON Schema, built once at start-up, and the field errors of data checked against it. Completing checks
/// the whole schema; a draft only its <c>properties</c> (and the <c>$defs</c> they refer to), so a half-filled step
/// can be saved but a field it has must still be right.
/// </summary>
public sealed class StepSchema
{
    private const string ErrorKeyword = "x-error";

    /// <summary>
    /// Valid data (nearly every request) is decided by the pass/fail evaluation alone; only invalid data is evaluated
    /// again with the hierarchical output its field errors are read from, which costs several times more to build.
    /// </summary>
    private static readonly EvaluationOptions Verdict = new() { OutputFormat = OutputFormat.Flag };

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.Hierarchical };

    private readonly JsonSchema _completion;
    private readonly JsonSchema _draft;
    private readonly JsonObject _completionNode;
    private readonly JsonObject _draftNode;

    private StepSchema(string text, JsonSchema completion, JsonObject completionNode, JsonSchema draft, JsonObject draftNode)
    {
        Text = text;
        _completion = completion;
        _completionNode = completionNode;
        _draft = draft;
        _draftNode = draftNode;
    }

    /// <summary>The schema as configured, for <c>GET onboarding/config</c>.</summary>
    public string Text { get; }

    /// <summary>Builds the schema of step <paramref name="number"/>; null and a reason when it is not a valid schema.</summary>
    public static StepSchema? TryBuild(int number, string text, out string? problem)
    {
        problem = null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            problem = $"is not valid JSON ({ex.Message})";
            return null;
        }

        if (node is not JsonObject root)
        {
            problem = "must be a JSON object (a schema of the step's data object)";
            return null;
        }

        using (var document = JsonDocument.Parse(text))
        {
            if (!MetaSchemas.Draft202012.Evaluate(document.RootElement).IsValid)
            {
                problem = "is not a valid JSON Schema (draft 2020-12)";
                return null;
            }
        }

        var draftNode = new JsonObject { ["type"] = "object" };
        foreach (var keyword in new[] { "properties", "additionalProperties", "$defs" })
        {
            if (root[keyword] is { } value)
            {
                draftNode[keyword] = value.DeepClone();
            }
        }

        try
        {
            // A registry of its own per schema: nothing is shared between steps, hosts or test servers in one process.
            var completion = Build(text, number, "complete");
            var draft = Build(draftNode.ToJsonString(), number, "draft");
            var schema = new StepSchema(text, completion, root, draft, draftNode);

            // A $ref that points nowhere is only found when it is followed: follow every one once now.
            schema.Check([], completing: true);
            return schema;
        }
        catch (Exception ex) when (ex is JsonSchemaException or JsonException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            problem = $"is not a usable JSON Schema ({ex.Message})";
            return null;
        }
    }

    /// <summary>The field errors of <paramref name="data"/>: field names are the client's, nested ones dotted (<c>corePersona.identity</c>).</summary>
    public Dictionary<string, string[]> Check(JsonObject data, bool completing)
    {
        ArgumentNullException.ThrowIfNull(data);
        var schema = completing ? _completion : _draft;
        var root = completing ? _completionNode : _draftNode;
        var element = JsonSerializer.SerializeToElement(data);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (schema.Evaluate(element, Verdict).IsValid)
        {
            return errors;
        }

        var results = schema.Evaluate(element, Evaluation);

        foreach (var detail in Failures(results))
        {
            var (field, message) = Describe(root, data, detail);
            if (!errors.ContainsKey(field))
            {
                errors[field] = [message];
            }
        }

        if (errors.Count == 0)
        {
            errors[string.Empty] = ["The step's data does not match its schema."];
        }

        return errors;
    }

    /// <summary>
    /// The failures that make the result invalid: a subschema that failed inside one that passed (an <c>anyOf</c>
    /// branch not taken) is not one.
    /// </summary>
    private static IEnumerable<EvaluationResults> Failures(EvaluationResults node)
    {
        if (node.IsValid)
        {
            yield break;
        }

        if (node.Errors is { Count: > 0 })
        {
            yield return node;
        }

        foreach (var child in node.Details ?? [])
        {
            foreach (var failure in Failures(child))
            {
                yield return failure;
            }
        }
    }

    private static JsonSchema Build(string text, int number, string kind)
        => JsonSchema.FromText(
            text,
            new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 },
            new Uri($"https://onboarding.invalid/steps/{number}/{kind}"));

    /// <summary>The field and message of one failure: from the innermost <c>x-error</c> on its path, else from where it failed.</summary>
    private static (string Field, string Message) Describe(JsonObject root, JsonObject data, EvaluationResults detail)
    {
        string? field = null;
        string? message = null;
        JsonNode? failing = null;
        foreach (var schema in SchemasAlong(root, detail.EvaluationPath.ToString()))
        {
            failing = schema;
            if (schema is JsonObject obj && obj[ErrorKeyword] is JsonObject error)
            {
                field = (error["field"] as JsonValue)?.TryGetValue<string>(out var f) == true ? f : field;
                message = (error["message"] as JsonValue)?.TryGetValue<string>(out var m) == true ? m : message;
            }
        }

        var location = Dotted(detail.InstanceLocation.ToString());
        if (field is null && detail.Errors!.ContainsKey("required") && failing is JsonObject failed && failed["required"] is JsonArray required)
        {
            // The first required property the instance at that location lacks.
            var instance = Locate(data, detail.InstanceLocation.ToString()) as JsonObject;
            var missing = required.Select(r => r?.GetValue<string>()).FirstOrDefault(r => r is not null && instance?.ContainsKey(r) != true);
            field = missing is null ? location : location.Length == 0 ? missing : $"{location}.{missing}";
        }

        return (field ?? location, message ?? detail.Errors!.Values.First());
    }

    /// <summary>The schema objects an evaluation path passes through, outermost first; local <c>$ref</c>s are followed.</summary>
    private static IEnumerable<JsonNode> SchemasAlong(JsonObject root, string evaluationPath)
    {
        JsonNode? current = root;
        yield return root;
        foreach (var segment in Segments(evaluationPath))
        {
            if (segment == "$ref" && current is JsonObject withRef && withRef["$ref"] is JsonValue refValue
                && refValue.TryGetValue<string>(out var target) && target.StartsWith('#'))
            {
                current = Locate(root, target[1..]);
            }
            else
            {
                current = current switch
                {
                    JsonObject obj => obj[segment],
                    JsonArray array when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                    _ => null,
                };
            }

            if (current is null)
            {
                yield break;
            }

            if (current is JsonObject)
            {
                yield return current;
            }
        }
    }

    private static JsonNode? Locate(JsonNode root, string pointer)
    {
        JsonNode? current = root;
        foreach (var segment in Segments(pointer))
        {
            current = current switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
        }

        return current;
    }

    private static IEnumerable<string> Segments(string pointer)
        => pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
                  .Select(s => Uri.UnescapeDataString(s).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));

    private static string Dotted(string pointer) => string.Join('.', Segments(pointer));
}
