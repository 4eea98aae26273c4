using System.Diagnostics;
using System.Globalization;

namespace Onboarding.ColdStart;

/// <summary>
/// Reads what the startup hook (bench/Onboarding.StartupTimeline) wrote in the worker: each line is a
/// <see cref="Stopwatch"/> timestamp (the same monotonic clock as this process's), the event, and the worker's JIT time,
/// JIT-compiled methods and loaded assemblies so far.
/// </summary>
internal static class Timeline
{
    /// <summary>
    /// The worker's start in milliseconds since the test host was asked to start it: runtime up (the hook ran), the
    /// generic host's build began and ended, the worker opened its gRPC stream to the host; the first request entered
    /// and left the worker; JIT before and during that request; and the outgoing calls made before and during it, by
    /// kind, with their total time.
    /// </summary>
    internal sealed record Events(
        double RuntimeUp, double HostBuilding, double HostBuilt, double StreamOpened, double Sent, double RequestIn, double RequestOut,
        double JitBeforeRequest, double JitInRequest, long MethodsBeforeRequest, long MethodsInRequest, long AssembliesBeforeRequest, long AssembliesInRequest,
        IReadOnlyDictionary<string, (int Count, double Ms)> CallsBefore, IReadOnlyDictionary<string, (int Count, double Ms)> CallsInRequest);

    private sealed record Line(double At, string Kind, string[] Detail, double Jit, long Methods, long Assemblies);

    public static Events Read(string path, long launched, long sent)
    {
        double Ms(long timestamp) => (timestamp - launched) * 1000.0 / Stopwatch.Frequency;
        var lines = File.ReadAllLines(path).Select(text => text.Split('\t')).Where(f => f.Length == 6).Select(f => new Line(
            Ms(long.Parse(f[0], CultureInfo.InvariantCulture)), f[1], f[2].Split('|'), double.Parse(f[3], CultureInfo.InvariantCulture),
            long.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture))).ToList();

        Line First(string what, Func<Line, bool> match) => lines.FirstOrDefault(match)
            ?? throw new InvalidOperationException($"The worker's timeline ({path}) has no {what}.");

        var hook = First("the hook", l => l.Kind == "hook");
        var building = First("HostBuilding", l => l.Kind == "HostBuilding");
        var built = First("HostBuilt", l => l.Kind == "HostBuilt");
        // An activity's tags (method, URL) are set after it starts: they are read from its stop line.
        var stops = lines.Where(l => l.Kind == "stop").GroupBy(l => l.Detail[0]).ToDictionary(g => g.Key, g => g.First());
        var stream = First("gRPC stream", l => l.Kind == "start" && stops.TryGetValue(l.Detail[0], out var stop)
            && stop.Detail[4].Contains("EventStream", StringComparison.Ordinal));
        var requestIn = First("incoming request", l => l.Kind == "start" && l.Detail[1] == "Microsoft.AspNetCore");
        var requestOut = stops.TryGetValue(requestIn.Detail[0], out var end) ? end : First("end of the incoming request", _ => false);

        // Outgoing HTTP calls, paired by span id; the gRPC stream is the host channel, not a call.
        var calls = lines.Where(l => l.Kind == "start" && l.Detail[1] == "System.Net.Http" && !ReferenceEquals(l, stream) && stops.ContainsKey(l.Detail[0]))
            .Select(start => (start, stop: stops[start.Detail[0]]))
            .ToList();

        IReadOnlyDictionary<string, (int, double)> Sum(Func<Line, bool> when) => calls.Where(c => when(c.start))
            .GroupBy(c => Kind(c.stop.Detail[3], c.stop.Detail[4]))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(c => c.stop.At - c.start.At)));

        return new Events(
            hook.At, building.At, built.At, stream.At, Ms(sent), requestIn.At, requestOut.At,
            requestIn.Jit, requestOut.Jit - requestIn.Jit, requestIn.Methods, requestOut.Methods - requestIn.Methods,
            requestIn.Assemblies, requestOut.Assemblies - requestIn.Assemblies,
            Sum(l => l.At < requestIn.At), Sum(l => l.At >= requestIn.At && l.At <= requestOut.At));
    }

    /// <summary>What an outgoing call was for, from its method and URL.</summary>
    private static string Kind(string method, string url) => url switch
    {
        _ when url.Contains("openid-configuration", StringComparison.Ordinal) => "OIDC metadata",
        _ when url.Contains("jwks", StringComparison.Ordinal) => "JWKS",
        _ when url.Contains("$batch", StringComparison.Ordinal) => "table transaction",
        _ when method == "POST" && url.Contains("/Tables", StringComparison.Ordinal) => "table creation",
        _ when method == "GET" => "table query",
        _ => $"other ({method})",
    };
}
