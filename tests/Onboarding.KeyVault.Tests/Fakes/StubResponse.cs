using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;

namespace Onboarding.Tests.Fakes;

/// <summary>A buffered <see cref="Response"/> for building the exceptions a mocked SDK client throws.</summary>
public sealed class StubResponse(int status, string? json = null, params (string Name, string Value)[] headers) : Response
{
    private readonly Dictionary<string, string> _headers = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    public override int Status => status;

    public override string ReasonPhrase => "";

    /// <summary>Classified as the pipeline would classify it, for a stub put in place of a response after the transport.</summary>
    public override bool IsError => status >= 400;

    public override Stream? ContentStream { get; set; } = new MemoryStream(Encoding.UTF8.GetBytes(json ?? ""));

    public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();

    /// <summary>The 409 Key Vault answers for a write to a name in soft delete.</summary>
    public static StubResponse Conflict(string innerCode)
    {
        var error = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = "Conflict",
                ["message"] = $"The secret is in state {innerCode}.",
                ["innererror"] = new JsonObject { ["code"] = innerCode },
            },
        };
        return new(409, error.ToJsonString(), ("Content-Type", "application/json; charset=utf-8"));
    }

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = _headers.TryGetValue(name, out var value);
        values = found ? [value!] : null;
        return found;
    }
}
