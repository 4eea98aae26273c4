using System.Runtime;
using System.Text.Json;

namespace Onboarding.LoadTest;

/// <summary>
/// The harness hosts the Server in its own process, so it runs with its own runtime settings, not the Server's. It only
/// measures when the settings that shape latency and memory (the GC mode) are the ones the Server's runtimeconfig.json
/// asks for, which the build copies next to the harness.
/// </summary>
internal static class HostRuntime
{
    private const string ServerRuntimeConfig = "Onboarding.Server.runtimeconfig.json";

    /// <summary>Null when this process runs the Server's GC settings; otherwise why not.</summary>
    public static string? Mismatch()
    {
        var path = Path.Combine(AppContext.BaseDirectory, ServerRuntimeConfig);
        if (!File.Exists(path))
        {
            return $"{ServerRuntimeConfig} is not next to the harness, so its GC settings cannot be compared.";
        }

        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var p) ? p : default;
        var serverGc = Flag(properties, "System.GC.Server") ?? false;
        var concurrentGc = Flag(properties, "System.GC.Concurrent") ?? true;
        var thisConcurrent = GCSettings.LatencyMode != GCLatencyMode.Batch;
        if (serverGc != GCSettings.IsServerGC || concurrentGc != thisConcurrent)
        {
            return $"the Server runs {(serverGc ? "server" : "workstation")} GC{(concurrentGc ? "" : " (not concurrent)")}, " +
                $"this process {(GCSettings.IsServerGC ? "server" : "workstation")} GC{(thisConcurrent ? "" : " (not concurrent)")}; " +
                "set the same in bench/Onboarding.LoadTest/Onboarding.LoadTest.csproj (and no DOTNET_gcServer or DOTNET_gcConcurrent override).";
        }

        return null;
    }

    private static bool? Flag(JsonElement properties, string name)
        => properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
