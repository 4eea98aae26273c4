using System.Buffers;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Onboarding.Core.Http;

/// <summary>
/// Reads request bodies with the checks every write route needs: JSON content type (415), a size limit (413) and
/// well-formed JSON (400). Both hosts use it, so they answer bad input identically.
/// </summary>
public static class JsonBody
{
    /// <summary>No request body may exceed this; step data has its own, smaller limit.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The media type bodies are sent and documented as.</summary>
    public const string ContentType = "application/json";

    /// <summary>Bodies up to this announced length are read into an array of exactly that size.</summary>
    private const int ExactReadMaxBytes = 64 * 1024;

    internal static readonly JsonSerializerOptions StrictOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        PropertyNameCaseInsensitive = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
    };

    /// <summary>Duplicate names would otherwise fail later, when the object is first enumerated.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    /// <summary>Reads an optional JSON object body. An empty body yields null; anything else must be a JSON object.</summary>
    public static async Task<BodyResult<JsonObject?>> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var raw = await ReadBytesAsync(request, cancellationToken);
        if (raw.Error is not null)
        {
            return new(null, raw.Error);
        }

        if (raw.Value is null)
        {
            return new(null, null);
        }

        try
        {
            RequireReadableStrings(raw.Value);
            var node = JsonNode.Parse(raw.Value, documentOptions: DocumentOptions);
            return node is JsonObject obj
                ? new(obj, null)
                : new(null, Problems.BadRequest("The request body must be a JSON object.", "invalid-json", "The request body is not valid JSON."));
        }
        catch (JsonException ex)
        {
            return new(null, InvalidJson(ex));
        }
    }

    /// <summary>Reads a required body into a typed request; unknown fields and wrong types are a 400.</summary>
    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var raw = await ReadBytesAsync(request, cancellationToken);
        if (raw.Error is not null)
        {
            return new(null, raw.Error);
        }

        if (raw.Value is null)
        {
            return new(null, Problems.BadRequest("A JSON request body is required.", "invalid-json", "The request body is not valid JSON."));
        }

        try
        {
            RequireReadableStrings(raw.Value);
            var value = JsonSerializer.Deserialize<T>(raw.Value, StrictOptions);
            return value is null
                ? new(null, Problems.BadRequest("The request body must be a JSON object.", "invalid-json", "The request body is not valid JSON."))
                : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, InvalidJson(ex));
        }
    }

    /// <summary>
    /// Raw bytes that are not UTF-8 are refused. An escape of half a surrogate pair (<c>"\ud800"</c>) parses, but the string can be neither read nor written back,
    /// so such a body is refused here rather than failing later.
    /// </summary>
    private static void RequireReadableStrings(byte[] json)
    {
        // JSON text is UTF-8 (RFC 8259 §8.1). The reader checks the bytes of a string only when it is read, so a bad
        // byte would otherwise fail later (500), be stored as U+FFFD, or turn two different names into one.
        if (!Utf8.IsValid(json))
        {
            throw new JsonException("The body is not valid UTF-8.");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    throw new JsonException("A string escapes half of a surrogate pair.", null, null, null, ex);
                }
            }
        }
    }

    private static ProblemHttpResult InvalidJson(JsonException ex)
    {
        // The message names the path and position (once: both are cut from the message and written here) but never
        // echoes values.
        var where = ex.Path is { Length: > 0 } path ? $" at '{path}'" : string.Empty;
        var line = ex.LineNumber is { } l ? $" (line {l + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
        var reason = ex.Message.Split([" Path:", " LineNumber:"], 2, StringSplitOptions.None)[0];
        return Problems.BadRequest($"The request body is not valid JSON{where}{line}: {reason}", "invalid-json", "The request body is not valid JSON.");
    }

    private static async Task<BodyResult<byte[]>> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBytes)
        {
            return new(null, TooLarge());
        }

        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody)
        {
            return new(null, null);
        }

        if (!IsJson(request.ContentType))
        {
            return new(null, Problems.UnsupportedMediaType("Request bodies must be sent as application/json."));
        }

        try
        {
            return request.ContentLength is { } length and <= ExactReadMaxBytes
                ? await ReadExactlyAsync(request.Body, (int)length, cancellationToken)
                : await ReadCollectedAsync(request.Body, cancellationToken);
        }
        catch (BadHttpRequestException ex)
        {
            // The host refused the body while it arrived: its own size limit (MaxRequestBodySize) cut it off, the chunked
            // framing is broken (a chunk size that is not hex or overflows, a missing CRLF), or the client stopped
            // sending (MinRequestBodyDataRate). That is the client's error, answered with the status the host chose.
            return new(null, HostRefused(ex.StatusCode));
        }
        catch (IOException ex) when (ex.InnerException is OverflowException)
        {
            // Kestrel reports a chunk size too large for its counter this way rather than as a bad request.
            return new(null, HostRefused(StatusCodes.Status400BadRequest));
        }
    }

    private static ProblemHttpResult HostRefused(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => TooLarge(),
        StatusCodes.Status408RequestTimeout => Problems.RequestTimeout("The request body arrived too slowly or stopped arriving."),
        _ => Problems.MalformedBody(status, "The request body's framing is malformed (for example a chunk size that is not hexadecimal, or a missing CRLF)."),
    };

    /// <summary>
    /// A small body of announced length goes straight into one array of that length. Larger ones are collected as they
    /// arrive, so a client cannot make the service reserve a megabyte by announcing one.
    /// </summary>
    private static async Task<BodyResult<byte[]>> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = await body.ReadAtLeastAsync(buffer, length, throwOnEndOfStream: false, cancellationToken);
        if (read < length)
        {
            // The host reports a body shorter than announced as an error before this; anything else is cut off.
            return new(null, Problems.BadRequest("The request body is shorter than its Content-Length.", "invalid-json", "The request body is not valid JSON."));
        }

        return new(buffer, null);
    }

    /// <summary>A body of unknown (chunked) or large length is collected through a pooled buffer, up to <see cref="MaxBytes"/>.</summary>
    private static async Task<BodyResult<byte[]>> ReadCollectedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (collected.Length + read > MaxBytes)
                {
                    return new(null, TooLarge());
                }

                collected.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return collected.Length == 0 ? new(null, null) : new(collected.ToArray(), null);
    }

    private static ProblemHttpResult TooLarge() => Problems.PayloadTooLarge($"Request bodies are limited to {MaxBytes / 1024} KiB.");

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return false;
        }

        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A parsed body or the problem to answer with.</summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Error);
