using System.Globalization;
using System.Text;

namespace Onboarding.ColdStart;

/// <summary>The cold-start figures as Markdown: both apps side by side with their ratio, then the traced breakdown.</summary>
internal static class ColdStartReport
{
    public static void Write(StringBuilder report, ColdStartSettings settings, IReadOnlyList<StartResult> results, MachineLoad before, MachineLoad after)
    {
        var c = CultureInfo.InvariantCulture;
        report.AppendLine(c, $"Machine: {MachineLoad.Describe()}; {before} at start, {after} at the end; steal {MachineLoad.Steal(before, after)} of the cores' time during the run");
        report.AppendLine(c, $"Settings: {settings.Rounds} untraced and {settings.TracedRounds} traced rounds, apps alternating; worker environment: {(settings.WorkerEnvironment.Count == 0 ? "none added" : string.Join(' ', settings.WorkerEnvironment))}");
        report.AppendLine();

        var plain = results.Where(r => !r.Traced).ToList();
        var functions = plain.Where(r => r.App == WorkerApp.FunctionsName).ToList();
        var empty = plain.Where(r => r.App == WorkerApp.EmptyName).ToList();
        report.AppendLine("Milliseconds from asking the test host to start the worker (median, min–max of the untraced starts):");
        report.AppendLine();
        report.AppendLine("| | Functions app | empty app | ratio (medians) |");
        report.AppendLine("|---|---:|---:|---:|");
        Row(report, "host ready (functions loaded, worker HTTP accepting)", functions.Select(r => r.Ready), empty.Select(r => r.Ready));
        Row(report, "first request answered (`GET onboarding/init` with a token; empty: `GET ping`)", functions.Select(r => r.First), empty.Select(r => r.First));
        Row(report, "first write answered (`PUT onboarding/step/2`)", functions.Select(r => r.Write!.Value), []);
        Row(report, "first request alone (answered − ready)", functions.Select(r => r.First - r.Ready), empty.Select(r => r.First - r.Ready));
        Row(report, "the same request once warm", functions.Select(r => r.Warm), empty.Select(r => r.Warm));

        var traced = results.Where(r => r.Traced && r.Events is not null).ToList();
        if (traced.Count == 0)
        {
            return;
        }

        report.AppendLine();
        report.AppendLine("Breakdown from the traced starts (startup hook in the worker; medians; ms):");
        report.AppendLine();
        report.AppendLine("| segment | Functions app | empty app |");
        report.AppendLine("|---|---:|---:|");
        var f = traced.Where(r => r.App == WorkerApp.FunctionsName).Select(r => r.Events!).ToList();
        var e = traced.Where(r => r.App == WorkerApp.EmptyName).Select(r => r.Events!).ToList();
        var fr = traced.Where(r => r.App == WorkerApp.FunctionsName).ToList();
        var er = traced.Where(r => r.App == WorkerApp.EmptyName).ToList();
        Pair(report, "process start and runtime up (launch → startup hook)", f.Select(x => x.RuntimeUp), e.Select(x => x.RuntimeUp));
        Pair(report, "Main: builder, configuration, service registration (→ HostBuilding)", f.Select(x => x.HostBuilding - x.RuntimeUp), e.Select(x => x.HostBuilding - x.RuntimeUp));
        Pair(report, "DI container built (HostBuilding → HostBuilt)", f.Select(x => x.HostBuilt - x.HostBuilding), e.Select(x => x.HostBuilt - x.HostBuilding));
        Pair(report, "host start to the gRPC stream (hosted services, options validation)", f.Select(x => x.StreamOpened - x.HostBuilt), e.Select(x => x.StreamOpened - x.HostBuilt));
        Pair(report, "worker init, metadata, function loads, HTTP listening (→ host ready)", fr.Select(r => r.Ready - r.Events!.StreamOpened), er.Select(r => r.Ready - r.Events!.StreamOpened));
        Pair(report, "first request: client → test host → worker", f.Select(x => x.RequestIn - x.Sent), e.Select(x => x.RequestIn - x.Sent));
        Pair(report, "first request inside the worker", f.Select(x => x.RequestOut - x.RequestIn), e.Select(x => x.RequestOut - x.RequestIn));
        foreach (var kind in f.SelectMany(x => x.CallsInRequest.Keys).Concat(e.SelectMany(x => x.CallsInRequest.Keys)).Distinct().Order())
        {
            Pair(report, $"  of which waiting on {kind} (calls made during the request)", f.Select(x => Get(x.CallsInRequest, kind)), e.Select(x => Get(x.CallsInRequest, kind)));
        }

        Pair(report, "  of which JIT compiling (all threads, during the request)", f.Select(x => x.JitInRequest), e.Select(x => x.JitInRequest));
        Pair(report, "JIT compiling before the first request (all threads)", f.Select(x => x.JitBeforeRequest), e.Select(x => x.JitBeforeRequest));
        Pair(report, "methods JIT-compiled before / during the first request", f.Select(x => (double)x.MethodsBeforeRequest), e.Select(x => (double)x.MethodsBeforeRequest), f.Select(x => (double)x.MethodsInRequest), e.Select(x => (double)x.MethodsInRequest));
        Pair(report, "assemblies loaded before / during the first request", f.Select(x => (double)x.AssembliesBeforeRequest), e.Select(x => (double)x.AssembliesBeforeRequest), f.Select(x => (double)x.AssembliesInRequest), e.Select(x => (double)x.AssembliesInRequest));
        foreach (var kind in f.SelectMany(x => x.CallsBefore.Keys).Distinct().Order())
        {
            Pair(report, $"start-up call before the first request: {kind}", f.Select(x => Get(x.CallsBefore, kind)), e.Select(x => Get(x.CallsBefore, kind)));
        }

        Pair(report, "first request answered (traced start)", fr.Select(r => r.First), er.Select(r => r.First));
    }

    private static double Get(IReadOnlyDictionary<string, (int Count, double Ms)> calls, string kind) => calls.TryGetValue(kind, out var v) ? v.Ms : 0;

    private static void Row(StringBuilder report, string label, IEnumerable<double> functions, IEnumerable<double> empty)
    {
        var f = functions.ToList();
        var e = empty.ToList();
        var ratio = f.Count > 0 && e.Count > 0 ? (Median(f) / Median(e)).ToString("F2", CultureInfo.InvariantCulture) : "";
        report.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Spread(f)} | {Spread(e)} | {ratio} |");
    }

    private static void Pair(StringBuilder report, string label, IEnumerable<double> functions, IEnumerable<double> empty,
        IEnumerable<double>? functionsSecond = null, IEnumerable<double>? emptySecond = null)
    {
        string Cell(IEnumerable<double> first, IEnumerable<double>? second)
        {
            var a = first.ToList();
            var text = a.Count == 0 ? "" : Median(a).ToString(second is null ? "F1" : "F0", CultureInfo.InvariantCulture);
            return second is null ? text : text + " / " + Median(second.ToList()).ToString("F0", CultureInfo.InvariantCulture);
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Cell(functions, functionsSecond)} | {Cell(empty, emptySecond)} |");
    }

    private static string Spread(List<double> values) => values.Count == 0
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"{Median(values):F0} ({values.Min():F0}–{values.Max():F0})");

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
