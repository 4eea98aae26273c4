using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Onboarding.Tests.Fakes;

namespace Onboarding.Tests.Consistency;

/// <summary>A Table Storage request as <see cref="TableEventPolicy"/> matches it: verb, path with query, and body (if any).</summary>
public sealed record TableRequest(string Method, string Path, string Body)
{
    /// <summary>True when the request concerns the partition (in its URI or in a transaction's body).</summary>
    public bool Touches(string partitionKey) => Path.Contains(partitionKey, StringComparison.Ordinal) || Body.Contains(partitionKey, StringComparison.Ordinal);

    public bool IsTransaction => Method == "POST" && Path.Contains("$batch", StringComparison.Ordinal);

    public bool IsSecretStore => Path.Contains("devsecrets", StringComparison.Ordinal);
}

/// <summary>
/// Sits in a <see cref="Azure.Data.Tables.TableServiceClient"/>'s pipeline (per retry) and, for requests that match a
/// rule, either fails them with 503 (before or after they reach Azurite) a bounded number of times, or holds one until
/// the test releases it. Holds let a test act at an exact point of a request (an abort, another instance's request).
/// </summary>
public sealed class TableEventPolicy : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _faults = [];
    private readonly List<TableHold> _holds = [];

    public int Injected { get; private set; }

    public void Fail(Func<TableRequest, bool> when, int times, bool afterLanding)
    {
        lock (_gate)
        {
            _faults.Add(new FaultRule(when, afterLanding) { Remaining = times });
        }
    }

    /// <summary>Holds the next matching request; with <paramref name="afterLanding"/> it reaches Azurite first and its answer waits.</summary>
    public TableHold Hold(Func<TableRequest, bool> when, bool afterLanding = false)
    {
        var hold = new TableHold(when, afterLanding);
        lock (_gate)
        {
            _holds.Add(hold);
        }

        return hold;
    }

    /// <summary>Drops every rule and lets every held request go.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
            foreach (var hold in _holds)
            {
                hold.Release();
            }

            _holds.Clear();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        => ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = Describe(message);
        TableHold? hold;
        FaultRule? fault;
        lock (_gate)
        {
            hold = _holds.FirstOrDefault(h => h.When(request));
            if (hold is not null)
            {
                _holds.Remove(hold);
            }

            fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.When(request));
            if (fault is not null)
            {
                fault.Remaining--;
                Injected++;
            }
        }

        if (hold is { AfterLanding: false })
        {
            hold.Arrive();
            await hold.Released;
        }

        if (fault is null || fault.AfterLanding)
        {
            await ProcessNextAsync(message, pipeline);
        }

        if (hold is { AfterLanding: true })
        {
            hold.Arrive();
            await hold.Released;
        }

        if (fault is not null)
        {
            message.Response = new StubResponse(
                503,
                """{"odata.error":{"code":"ServerBusy","message":{"lang":"en-US","value":"The server is busy."}}}""",
                ("Content-Type", "application/json;odata=minimalmetadata"),
                ("Retry-After", "1"))
            {
                ClientRequestId = message.Request.ClientRequestId,
            };
        }
    }

    private static TableRequest Describe(HttpMessage message)
    {
        var body = string.Empty;
        if (message.Request.Content is { } content)
        {
            using var buffer = new MemoryStream();
            content.WriteTo(buffer, CancellationToken.None);
            body = Encoding.UTF8.GetString(buffer.ToArray());
        }

        return new TableRequest(message.Request.Method.Method, Uri.UnescapeDataString(message.Request.Uri.PathAndQuery), body);
    }

    private sealed class FaultRule(Func<TableRequest, bool> when, bool afterLanding)
    {
        public Func<TableRequest, bool> When { get; } = when;

        public bool AfterLanding { get; } = afterLanding;

        public int Remaining { get; set; }
    }
}

/// <summary>A Table Storage request held by <see cref="TableEventPolicy.Hold"/>.</summary>
public sealed class TableHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TableHold(Func<TableRequest, bool> when, bool afterLanding)
    {
        When = when;
        AfterLanding = afterLanding;
    }

    internal Func<TableRequest, bool> When { get; }

    internal bool AfterLanding { get; }

    public Task Reached => _reached.Task;

    internal Task Released => _released.Task;

    internal void Arrive() => _reached.TrySetResult();

    public void Release() => _released.TrySetResult();
}
