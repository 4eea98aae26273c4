using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>
/// Every error the API sends: RFC 9457 ProblemDetails with a stable <c>type</c> and <c>title</c> and a human
/// <c>detail</c> (the frontend shows <c>detail</c>).
/// </summary>
public static class Problems
{
    public const string TypePrefix = "https://onboarding.example/problems/";

    private const string RetryAfter = "Retry-After";

    private const string WwwAuthenticate = "WWW-Authenticate";

    /// <summary>The header a problem status carries besides its body (set below), for the API document.</summary>
    public static IReadOnlyDictionary<int, DocumentedValue> Headers { get; } = new Dictionary<int, DocumentedValue>
    {
        [StatusCodes.Status401Unauthorized] = new(WwwAuthenticate, "The bearer challenge, naming the error (RFC 6750)."),
        [StatusCodes.Status429TooManyRequests] = new(RetryAfter, "Seconds to wait before retrying."),
        [StatusCodes.Status503ServiceUnavailable] = new(RetryAfter, "Seconds to wait before retrying."),
    };

    public static ProblemHttpResult BadRequest(string detail, string slug = "invalid-request", string title = "The request is invalid.")
        => Problem(StatusCodes.Status400BadRequest, slug, title, detail);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail)
        => TypedResults.ValidationProblem(errors, detail, type: TypePrefix + "validation", title: "The data is invalid.");

    public static ProblemHttpResult NotFound(string detail, string slug = "not-found", string title = "Not found.")
        => Problem(StatusCodes.Status404NotFound, slug, title, detail);

    public static ProblemHttpResult Conflict(string detail, string slug, string title)
        => Problem(StatusCodes.Status409Conflict, slug, title, detail);

    public static ProblemHttpResult PreconditionFailed(string detail)
        => Problem(StatusCodes.Status412PreconditionFailed, "stale-etag", "The resource has changed.", detail);

    public static ProblemHttpResult PayloadTooLarge(string detail)
        => Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "The request is too large.", detail);

    public static ProblemHttpResult RequestTimeout(string detail)
        => Problem(StatusCodes.Status408RequestTimeout, "request-timeout", "The request took too long.", detail);

    /// <summary>A body the host could not read as HTTP (broken chunked framing), with the 4xx status the host chose.</summary>
    public static ProblemHttpResult MalformedBody(int status, string detail)
        => Problem(status is >= 400 and < 500 ? status : StatusCodes.Status400BadRequest, "malformed-body", "The request body is malformed.", detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail)
        => Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The content type is not supported.", detail);

    /// <summary>The one translation of the rules' refusals into responses: each kind has its status, the code its type.</summary>
    public static IResult For(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return rejection.Kind switch
        {
            RejectionKind.InvalidData => TypedResults.ValidationProblem(
                rejection.Errors ?? new Dictionary<string, string[]>(), rejection.Detail, type: TypePrefix + rejection.Code, title: rejection.Title),
            RejectionKind.Invalid => Problem(StatusCodes.Status400BadRequest, rejection.Code, rejection.Title, rejection.Detail),
            RejectionKind.Conflict => Problem(StatusCodes.Status409Conflict, rejection.Code, rejection.Title, rejection.Detail),
            RejectionKind.Stale => Problem(StatusCodes.Status412PreconditionFailed, rejection.Code, rejection.Title, rejection.Detail),
            RejectionKind.TooLarge => Problem(StatusCodes.Status413PayloadTooLarge, rejection.Code, rejection.Title, rejection.Detail),
            _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection.Kind, "A rejection kind without a response."),
        };
    }

    public static WithHeaders Unauthorized(AuthenticationOutcome outcome)
    {
        // RFC 6750 §3: the challenge names the error; quotes are stripped so the header stays well-formed.
        var description = outcome.Description.Replace("\"", "'", StringComparison.Ordinal);
        var challenge = $"Bearer error=\"{outcome.Error}\", error_description=\"{description}\"";
        return new WithHeaders(
            Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Authentication is required.", outcome.Description),
            (WwwAuthenticate, challenge));
    }

    public static WithHeaders Unavailable(DependencyUnavailableException exception)
    {
        var seconds = Math.Clamp((int)Math.Ceiling(exception.RetryAfter.TotalSeconds), 1, 300);
        return new WithHeaders(
            Problem(StatusCodes.Status503ServiceUnavailable, "dependency-unavailable", "A backing service is unavailable.",
                $"{exception.Dependency} is busy or unreachable. Retry after {seconds} seconds."),
            (RetryAfter, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static WithHeaders TooManyRequests(int retryAfterSeconds, string who = "this user")
        => new WithHeaders(
            Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
                $"Too many requests for {who}. Retry after {retryAfterSeconds} seconds."),
            (RetryAfter, retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static ProblemHttpResult Problem(int status, string slug, string title, string detail)
        => TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + slug);

    /// <summary>Adds response headers to another result (ProblemDetails results have no header API of their own).</summary>
    public sealed class WithHeaders(IResult inner, params (string Name, string Value)[] headers) : IResult, IStatusCodeHttpResult
    {
        public IResult Inner { get; } = inner;

        public int? StatusCode => (Inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }

            return Inner.ExecuteAsync(httpContext);
        }
    }
}
