using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Http;

/// <summary>
/// One route's documented shape. The handlers take the raw <see cref="HttpContext"/> (so both hosts can call them and
/// Core reads bodies and headers with its own limits and messages), which hides their shapes from API explorers; the
/// description states them, and is attached to the endpoint as metadata for the document's transformers.
/// </summary>
/// <param name="Tag">The group it is listed under.</param>
/// <param name="Summary">One line saying what it does.</param>
/// <param name="Response">The success body's type, or null for no body.</param>
/// <param name="Status">The success status.</param>
/// <param name="Request">The JSON body's type, when it takes one.</param>
/// <param name="Problems">The ProblemDetails statuses it may answer besides the 401 and 503 of every protected route.</param>
/// <param name="FieldErrors">True when its 400 may be a ValidationProblem with field errors.</param>
public sealed record RouteDescription(
    string Tag,
    string Summary,
    Type? Response,
    int Status = StatusCodes.Status200OK,
    Type? Request = null,
    IReadOnlyList<int>? Problems = null,
    bool FieldErrors = false)
{
    /// <summary>Boolean query parameters the handler reads (absent means false).</summary>
    public IReadOnlyList<DocumentedValue> QueryFlags { get; init; } = [];

    /// <summary>Request headers the handler reads.</summary>
    public IReadOnlyList<DocumentedValue> RequestHeaders { get; init; } = [];

    /// <summary>Headers of the success response.</summary>
    public IReadOnlyList<DocumentedValue> ResponseHeaders { get; init; } = [];
}

/// <summary>A named input or output of a route that is not its body, with what it means.</summary>
public sealed record DocumentedValue(string Name, string Description);
