using System.Text.Json;

namespace Onboarding.Infra.Tests.Bicep;

/// <summary>One diagnostic from Bicep's SARIF output (<c>--diagnostics-format sarif</c>).</summary>
internal sealed record BicepDiagnostic(string Level, string RuleId, string Message, string Location)
{
    public bool IsErrorOrWarning => Level is "error" or "warning";

    public override string ToString() => $"{Location}: {Level} {RuleId}: {Message}";
}

internal static class BicepDiagnostics
{
    /// <summary>Reads every result of a SARIF log. A result without a level is a warning (SARIF 2.1.0, 3.27.10).</summary>
    public static IReadOnlyList<BicepDiagnostic> ParseSarif(string sarif)
    {
        using var document = JsonDocument.Parse(sarif);
        var diagnostics = new List<BicepDiagnostic>();
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var results))
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                var level = result.TryGetProperty("level", out var levelElement) ? levelElement.GetString() ?? "warning" : "warning";
                var ruleId = result.TryGetProperty("ruleId", out var rule) ? rule.GetString() ?? "" : "";
                var message = result.GetProperty("message").GetProperty("text").GetString() ?? "";
                diagnostics.Add(new BicepDiagnostic(level, ruleId, message, LocationOf(result)));
            }
        }

        return diagnostics;
    }

    private static string LocationOf(JsonElement result)
    {
        if (!result.TryGetProperty("locations", out var locations) || locations.GetArrayLength() == 0)
        {
            return "(no location)";
        }

        var physical = locations[0].GetProperty("physicalLocation");
        var uri = physical.GetProperty("artifactLocation").GetProperty("uri").GetString();
        var line = physical.TryGetProperty("region", out var region) && region.TryGetProperty("startLine", out var start)
            ? start.GetInt32()
            : 0;
        return $"{uri}({line})";
    }
}
