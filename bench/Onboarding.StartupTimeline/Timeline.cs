using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Onboarding.StartupTimeline;

/// <summary>
/// Writes one line per start-up event of the process it runs in, as it happens: the
/// <see cref="Stopwatch.GetTimestamp"/> (CLOCK_MONOTONIC on Linux, so comparable with the harness's own), the event,
/// the JIT compilation time and method count so far (<see cref="JitInfo"/>, all threads) and the assemblies loaded so
/// far. Events: the hook itself (the runtime is up, Main is next), the generic host's HostBuilding and HostBuilt, and
/// start and stop of the activities of outgoing HTTP (issuer metadata, JWKS, Table Storage, the gRPC stream to the
/// host), incoming HTTP (the proxied request) and function invocations.
/// </summary>
/// <remarks>
/// Listening makes those activities exist where nothing else listens, which costs a little: cold-start figures are
/// taken in runs without the hook, and the timeline only explains them.
/// </remarks>
internal sealed class Timeline : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private static readonly string[] Sources = ["System.Net.Http", "Microsoft.AspNetCore", "Microsoft.Azure.Functions.Worker"];

    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();
    private int _assemblies;

    private Timeline(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public static void Start(string path)
    {
        var timeline = new Timeline(path);
        timeline._assemblies = AppDomain.CurrentDomain.GetAssemblies().Length;
        AppDomain.CurrentDomain.AssemblyLoad += (_, _) => Interlocked.Increment(ref timeline._assemblies);
        timeline.Write("hook", "");
        DiagnosticListener.AllListeners.Subscribe(timeline);
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = source => Array.IndexOf(Sources, source.Name) >= 0,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity => timeline.Write("start", Describe(activity)),
            ActivityStopped = activity => timeline.Write("stop", Describe(activity)),
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => timeline.Write("exit", "");
    }

    private static string Describe(Activity activity)
    {
        var url = activity.GetTagItem("url.full") as string ?? activity.GetTagItem("url.path") as string ?? "";
        var method = activity.GetTagItem("http.request.method") as string ?? "";
        var status = activity.GetTagItem("http.response.status_code")?.ToString() ?? "";
        return $"{activity.SpanId}|{activity.Source.Name}|{activity.OperationName}|{method}|{url}|{status}";
    }

    private void Write(string kind, string detail)
    {
        var now = Stopwatch.GetTimestamp();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{now}\t{kind}\t{detail}\t{JitInfo.GetCompilationTime(currentThread: false).TotalMilliseconds:F1}\t{JitInfo.GetCompiledMethodCount(currentThread: false)}\t{Volatile.Read(ref _assemblies)}");
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.Extensions.Hosting")
        {
            value.Subscribe(this);
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value) => Write(value.Key, "");

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
