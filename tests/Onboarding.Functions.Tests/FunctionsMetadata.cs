using System.Text.Json;
using Onboarding.Core.Http;
using Onboarding.Functions;

namespace Onboarding.Functions.Tests;

/// <summary>One function as the Worker SDK describes it to the Functions host in <c>functions.metadata</c>.</summary>
/// <param name="Name">The function name the host routes and logs by.</param>
/// <param name="EntryPoint">The method the worker runs: <c>Namespace.Class.Method</c>.</param>
/// <param name="Triggers">The binding types of the function's trigger bindings (<c>httpTrigger</c> for every function here).</param>
/// <param name="AuthLevel">The HTTP trigger's <c>authLevel</c>, as written by the SDK.</param>
/// <param name="Methods">The HTTP trigger's verbs, upper case.</param>
/// <param name="Route">The HTTP trigger's route template, without the host's route prefix.</param>
internal sealed record FunctionMetadataEntry(
    string Name,
    string EntryPoint,
    IReadOnlyList<string> Triggers,
    string? AuthLevel,
    IReadOnlyList<string> Methods,
    string? Route);

/// <summary>
/// Reads the <c>functions.metadata</c> that the Worker SDK generated when it built src/Functions (it lands beside the
/// app's assembly, which this test project references), and compares it with Core's route table.
/// </summary>
internal static class FunctionsMetadata
{
    /// <summary>The generated file beside the built <c>Onboarding.Functions.dll</c>.</summary>
    public static string FilePath =>
        Path.Combine(Path.GetDirectoryName(typeof(OnboardingFunctionsApplicationBuilderExtensions).Assembly.Location)!, "functions.metadata");

    public static IReadOnlyList<FunctionMetadataEntry> Load()
    {
        if (!File.Exists(FilePath))
        {
            throw new FileNotFoundException("The Worker SDK wrote no functions.metadata beside Onboarding.Functions.dll.", FilePath);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(FilePath));
        return [.. document.RootElement.EnumerateArray().Select(Read)];
    }

    /// <summary>
    /// Every difference between the generated functions and <paramref name="routes"/>, one line each; empty when the
    /// (name, verb, route) triples are the same set and no function name appears twice.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyList<FunctionMetadataEntry> functions, IEnumerable<ApiRoute> routes)
    {
        var generated = functions
            .SelectMany(f => f.Methods.DefaultIfEmpty("<no verb>").Select(verb => (f.Name, Method: verb, Template: f.Route ?? "<no route>")))
            .ToHashSet();
        var expected = routes.Select(r => (r.Name, r.Method, r.Template)).ToHashSet();

        var problems = new List<string>();
        problems.AddRange(expected.Except(generated).Order().Select(r => $"Core route {r.Name} ({r.Method} {r.Template}) has no matching function."));
        problems.AddRange(generated.Except(expected).Order().Select(f => $"Function {f.Name} ({f.Method} {f.Template}) is not in ApiRoutes.All."));
        problems.AddRange(functions
            .GroupBy(f => f.Name)
            .Where(g => g.Count() > 1)
            .Select(g => $"Function name {g.Key} is generated {g.Count()} times."));
        return problems;
    }

    private static FunctionMetadataEntry Read(JsonElement function)
    {
        var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
        var triggers = bindings
            .Select(b => b.GetProperty("type").GetString()!)
            .Where(type => type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var http = bindings.FirstOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger");
        var isHttp = http.ValueKind == JsonValueKind.Object;

        return new FunctionMetadataEntry(
            Name: function.GetProperty("name").GetString()!,
            EntryPoint: function.GetProperty("entryPoint").GetString()!,
            Triggers: triggers,
            AuthLevel: isHttp && http.TryGetProperty("authLevel", out var level) ? level.GetString() : null,
            Methods: isHttp && http.TryGetProperty("methods", out var methods)
                ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())]
                : [],
            Route: isHttp && http.TryGetProperty("route", out var route) ? route.GetString() : null);
    }
}
