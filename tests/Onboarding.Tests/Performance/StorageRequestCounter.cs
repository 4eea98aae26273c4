using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Onboarding.Tests.Performance;

/// <summary>
/// An Azure.Core pipeline policy that records every request the TableServiceClient sends, retries included (it sits
/// per retry), so a test can state exactly how many storage round trips an API call costs.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    /// <summary>Every request since the last <see cref="Reset"/>, described as "query onboarding", "batch", "upsert devsecrets", ...</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>The requests that touch the onboarding table (entity-group transactions only ever do).</summary>
    public IReadOnlyList<string> OnboardingRequests => [.. _requests.Where(r => r == "batch" || r.EndsWith(" onboarding", StringComparison.Ordinal))];

    public void Reset() => _requests.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        _requests.Enqueue(Describe(message.Request));
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        _requests.Enqueue(Describe(message.Request));
        return ProcessNextAsync(message, pipeline);
    }

    /// <summary>"verb table" from the request line: GET onboarding() is a query, POST $batch a transaction.</summary>
    private static string Describe(Request request)
    {
        var path = request.Uri.Path;
        var segment = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        if (segment == "$batch")
        {
            return "batch";
        }

        if (segment == "Tables" || segment.StartsWith("Tables(", StringComparison.Ordinal))
        {
            return "table " + request.Method.Method;
        }

        var paren = segment.IndexOf('(', StringComparison.Ordinal);
        var table = paren < 0 ? segment : segment[..paren];
        var keyed = paren >= 0 && segment.Length > paren + 2;
        var verb = request.Method.Method switch
        {
            "GET" => keyed ? "get" : "query",
            "PUT" => "upsert",
            "MERGE" or "PATCH" => "merge",
            "POST" => "insert",
            "DELETE" => "delete",
            var other => other.ToLowerInvariant(),
        };
        return verb + " " + table;
    }
}
