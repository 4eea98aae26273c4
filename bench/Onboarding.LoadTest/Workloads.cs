using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Onboarding.LoadTest;

/// <summary>One virtual user's loop body: a fixed sequence of timed operations against the user's own partition.</summary>
internal interface IWorkload
{
    string Name { get; }

    IReadOnlyList<string> Operations { get; }

    int Workers { get; }

    /// <summary>Runs operation <paramref name="operation"/> for worker <paramref name="worker"/>; false when it failed.</summary>
    Task<bool> RunAsync(int worker, int operation, CancellationToken cancellationToken);

    /// <summary>
    /// Requests timed once per iteration, before the operations, that are the floor of each operation rather than
    /// part of it (the loopback HTTP exchange of <c>GET health</c>); reported apart, never in the comparison.
    /// </summary>
    IReadOnlyList<string> Hops => [];

    Task<bool> HopAsync(int worker, int hop, CancellationToken cancellationToken) => Task.FromResult(true);
}

/// <summary>A virtual user: its token and the step data it writes.</summary>
internal sealed record VirtualUser(string Subject, string Token, string UserKey);

/// <summary>The API over HTTP: init, a step-2 draft save (PUT), and a step-2 completion (POST), as the wizard calls them.</summary>
internal sealed class EndpointWorkload(HttpClient http, IReadOnlyList<VirtualUser> users, string stepData, IReadOnlyList<(string Name, string Path)> hops) : IWorkload
{
    private readonly byte[] _draft = Encoding.UTF8.GetBytes(stepData);
    private readonly byte[] _completion = Encoding.UTF8.GetBytes("{\"data\":" + stepData + "}");

    public string Name => "endpoints (HTTP + auth + JSON + storage)";

    public IReadOnlyList<string> Operations { get; } = ["GET init", "PUT step (draft)", "POST step/complete"];

    public int Workers => users.Count;

    public IReadOnlyList<string> Hops { get; } = hops.Select(h => h.Name).ToArray();

    public async Task<bool> HopAsync(int worker, int hop, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(hops[hop].Path, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public async Task<bool> RunAsync(int worker, int operation, CancellationToken cancellationToken)
    {
        using var request = operation switch
        {
            0 => new HttpRequestMessage(HttpMethod.Get, "api/onboarding/init"),
            1 => new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2") { Content = Json(_draft) },
            _ => new HttpRequestMessage(HttpMethod.Post, "api/onboarding/step/2/complete") { Content = Json(_completion) },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", users[worker].Token);
        using var response = await http.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}

/// <summary>
/// The floor alone: the same client's loopback exchange of <c>GET health</c> (anonymous, no storage) and nothing else,
/// so its CPU per request can be measured; its latency is taken inside the endpoint loop (see <see cref="IWorkload.Hops"/>).
/// </summary>
internal sealed class HopWorkload(HttpClient http, int workers, string path) : IWorkload
{
    public string Name => "hop (GET health)";

    public IReadOnlyList<string> Operations { get; } = ["GET health"];

    public int Workers => workers;

    public async Task<bool> RunAsync(int worker, int operation, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return response.IsSuccessStatusCode;
    }
}

/// <summary>
/// The storage work those endpoints do, as bare Azure.Data.Tables calls on partitions shaped the same way: the
/// partition query, and the query followed by the entity-group transaction (progress row with If-Match, step row).
/// </summary>
internal sealed class RawTableWorkload(TableClient table, IReadOnlyList<VirtualUser> users, string stepData) : IWorkload
{
    public string Name => "raw SDK (Azure.Data.Tables)";

    public IReadOnlyList<string> Operations { get; } = ["partition query", "query + transaction", "query + transaction"];

    public int Workers => users.Count;

    public async Task<bool> RunAsync(int worker, int operation, CancellationToken cancellationToken)
    {
        var key = users[worker].UserKey;
        var rows = await QueryAsync(key, cancellationToken);
        if (operation == 0)
        {
            return rows.Count > 0;
        }

        var progress = rows.Single(r => r.RowKey == "progress");
        var now = DateTimeOffset.UtcNow;
        var written = new TableEntity(key, "progress");
        foreach (var (name, value) in progress)
        {
            if (name is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp"))
            {
                written[name] = value;
            }
        }

        written["UpdatedAt"] = now;
        written["Step2UpdatedAt"] = now;
        if (operation == 2)
        {
            written["Step2Status"] = "Completed";
            written["Step2CompletedAt"] = now;
        }

        var step = new TableEntity(key, "step-2") { ["SchemaVersion"] = 1, ["UpdatedAt"] = now, ["Data0"] = stepData, ["DataParts"] = 1 };
        var response = await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, written, progress.ETag),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, step),
            ],
            cancellationToken);
        return !response.GetRawResponse().IsError;
    }

    private async Task<List<TableEntity>> QueryAsync(string key, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}

/// <summary>The step-2 data every virtual user saves: a website and a description padded to a size.</summary>
internal static class StepPayload
{
    public static string Create(int bytes) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["website"] = "https://example.com/load",
        ["analysis"] = new Dictionary<string, string> { ["tone"] = "friendly" },
        ["description"] = new string('x', Math.Max(0, bytes - 96)),
    });
}
