using System.Collections.Concurrent;

namespace Onboarding.Tests.Infrastructure;

/// <summary>Keeps the text of every response body a client received, so a test can prove a secret never left the service.</summary>
public sealed class ResponseLog
{
    private readonly ConcurrentQueue<string> _bodies = new();

    public IReadOnlyCollection<string> Bodies => _bodies;

    /// <summary>A client of <paramref name="server"/> whose responses are kept; with <paramref name="token"/> as its bearer token.</summary>
    public HttpClient Client(IApiHost server, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = new HttpClient(new Recorder(this)) { BaseAddress = server.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Fails if any response body so far contains <paramref name="secret"/>; returns how many bodies were scanned.</summary>
    public int AssertNeverContains(string secret)
    {
        foreach (var body in _bodies)
        {
            if (body.Contains(secret, StringComparison.Ordinal))
            {
                Xunit.Assert.Fail($"A response body contained the secret: {body[..Math.Min(body.Length, 400)]}");
            }
        }

        return _bodies.Count;
    }

    private sealed class Recorder(ResponseLog log) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            log._bodies.Enqueue(await response.Content.ReadAsStringAsync(cancellationToken));
            return response;
        }
    }
}
