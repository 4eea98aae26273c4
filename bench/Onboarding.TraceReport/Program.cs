using System.CommandLine;
using System.Globalization;
using System.Text;
using Onboarding.TraceReport;

var trace = new Argument<FileInfo>("trace") { Description = "A .nettrace written by dotnet-trace with the sample profiler and the runtime's allocation ticks." };
var output = new Option<FileInfo?>("--output") { Description = "Also write the report (Markdown) to this file." };
var frame = new Option<string?>("--frame") { Description = "Also report the share of allocations and work with a frame whose name contains this on the stack, e.g. RpcExtensions.ToRpc." };
var root = new RootCommand(
    "Reports a trace's allocations and CPU work by component (the service's own parts, the Azure SDK, ASP.NET Core, the " +
    "Functions worker, telemetry), as docs/performance.md gives its profiles.");
root.Arguments.Add(trace);
root.Options.Add(output);
root.Options.Add(frame);
root.SetAction(result =>
{
    var file = result.GetRequiredValue(trace);
    if (!file.Exists)
    {
        Console.Error.WriteLine($"No trace at {file.FullName}.");
        return 2;
    }

    var report = Write(file.Name, Profile.Read(file.FullName, result.GetValue(frame)));
    Console.Write(report);
    if (result.GetValue(output) is { } target)
    {
        File.WriteAllText(target.FullName, report);
    }

    return 0;
});
return root.Parse(args).Invoke();

static string Write(string name, Profile profile)
{
    var report = new StringBuilder();
    var allocated = profile.AllocatedBytes.Values.Sum();
    var work = profile.WorkSamples.Values.Sum();
    report.AppendLine(CultureInfo.InvariantCulture,
        $"Trace {name}: {profile.DurationSeconds:F0} s, {allocated / 1048576.0:N0} MiB of allocations sampled, {work:N0} CPU samples of work and {profile.IdleSamples:N0} of idle or blocked threads.");
    if (profile.Frame is { } frameName)
    {
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Under a frame containing '{frameName}': {100.0 * profile.FrameBytes / Math.Max(1, allocated):F1} % of the allocations, {100.0 * profile.FrameSamples / Math.Max(1, work):F1} % of the work.");
    }

    Table(report, "allocations by component", profile.AllocatedBytes, allocated);
    Table(report, "CPU work by component", profile.WorkSamples, work);
    return report.ToString();
}

static void Table(StringBuilder report, string title, Dictionary<string, long> totals, long all)
{
    report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"| {title} | share |").AppendLine("|---|---:|");
    foreach (var (component, amount) in totals.OrderByDescending(t => t.Value))
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"| {component} | {100.0 * amount / Math.Max(1, all):F1} % |");
    }
}
