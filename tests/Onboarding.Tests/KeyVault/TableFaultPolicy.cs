using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Onboarding.Tests.Fakes;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// Fails Table Storage entity-group transactions (<c>POST $batch</c>) of one partition with 503 and a Retry-After, as a
/// throttled or failing storage account answers. Sits in the <see cref="Azure.Data.Tables.TableServiceClient"/>'s
/// pipeline per retry, so every attempt of the SDK meets it. With <c>afterLanding</c> the transaction reaches Azurite
/// and commits; only its answer is replaced, as when a response is lost on the way back.
/// </summary>
public sealed class TableFaultPolicy : HttpPipelinePolicy
{
    public const int RetryAfterSeconds = 7;

    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];

    /// <summary>Transactions answered with a fault so far.</summary>
    public int Injected { get; private set; }

    /// <summary>Fails every transaction of <paramref name="partitionKey"/> until the returned scope is disposed.</summary>
    public IDisposable FailTransactions(string partitionKey, bool afterLanding = false)
    {
        var rule = new Rule(partitionKey, afterLanding);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return new Scope(() =>
        {
            lock (_gate)
            {
                _rules.Remove(rule);
            }
        });
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rule = Match(message);
        if (rule is null || rule.AfterLanding)
        {
            ProcessNext(message, pipeline);
        }

        if (rule is not null)
        {
            Fail(message);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rule = Match(message);
        if (rule is null || rule.AfterLanding)
        {
            await ProcessNextAsync(message, pipeline);
        }

        if (rule is not null)
        {
            Fail(message);
        }
    }

    private void Fail(HttpMessage message)
    {
        lock (_gate)
        {
            Injected++;
        }

        message.Response = new StubResponse(
            503,
            """{"odata.error":{"code":"ServerBusy","message":{"lang":"en-US","value":"The server is busy."}}}""",
            ("Content-Type", "application/json;odata=minimalmetadata"),
            ("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            ClientRequestId = message.Request.ClientRequestId,
        };
    }

    private Rule? Match(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Post || !message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return null;
        }

        Rule[] rules;
        lock (_gate)
        {
            rules = [.. _rules];
        }

        if (rules.Length == 0 || message.Request.Content is null)
        {
            return null;
        }

        using var body = new MemoryStream();
        message.Request.Content.WriteTo(body, message.CancellationToken);
        var text = Encoding.UTF8.GetString(body.ToArray());
        return rules.FirstOrDefault(r => text.Contains(r.PartitionKey, StringComparison.Ordinal));
    }

    private sealed record Rule(string PartitionKey, bool AfterLanding);

    private sealed class Scope(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>Azure.Core's retry policy with millisecond delays, even when a response asks for a longer wait.</summary>
public sealed class FastRetryPolicy(int maxRetries) : RetryPolicy(maxRetries, new MillisecondDelay())
{
    private sealed class MillisecondDelay() : DelayStrategy(maxDelay: TimeSpan.FromMilliseconds(2), jitterFactor: 0)
    {
        protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber) => TimeSpan.FromMilliseconds(1);
    }
}
