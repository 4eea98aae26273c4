using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Http;

/// <summary>
/// What a route's typed handler cannot say in its signature: its tag and summary, the ProblemDetails it may answer,
/// the headers of its success answer, and the success answer itself when the handler returns a plain
/// <see cref="IResult"/>. Its inputs (route, query and header values, the body) are the handler's bound parameters;
/// what a value bound as a raw string really takes is declared here (<see cref="Parameters"/>). The description is
/// attached to the endpoint as metadata for the document's route transformer.
/// </summary>
/// <param name="Tag">The group it is listed under.</param>
/// <param name="Summary">One line saying what it does.</param>
/// <param name="Response">The success body's type, or null for no body. Documented from here when the handler answers a plain <see cref="IResult"/>; otherwise it must match the handler's declared answer (checked at start-up).</param>
/// <param name="Status">The success status (the same rule).</param>
/// <param name="Problems">The ProblemDetails statuses it may answer besides the 401 and 503 of every protected route.</param>
/// <param name="FieldErrors">True when its 400 may be a ValidationProblem with field errors.</param>
public sealed record RouteDescription(
    string Tag,
    string Summary,
    Type? Response,
    int Status = StatusCodes.Status200OK,
    IReadOnlyList<int>? Problems = null,
    bool FieldErrors = false)
{
    /// <summary>Headers of the success response.</summary>
    public IReadOnlyList<DocumentedValue> ResponseHeaders { get; init; } = [];

    /// <summary>The values of the parameters the handler binds as raw strings, documented in place of "a string".</summary>
    public IReadOnlyList<ParameterValues> Parameters { get; init; } = [];
}

/// <summary>A named output of a route that is not its body, with what it means.</summary>
public sealed record DocumentedValue(string Name, string Description);

/// <summary>
/// The values a route, query or header parameter takes when its handler binds it as a raw string on purpose (a value
/// outside them is the handler's own ProblemDetails, not a binding failure), so the signature cannot say them.
/// </summary>
/// <param name="Name">The parameter's name on the wire.</param>
/// <param name="Type">The type its values are written in: <see cref="int"/>, <see cref="bool"/> or <see cref="string"/>.</param>
public sealed record ParameterValues(string Name, Type Type)
{
    public int? Minimum { get; init; }

    public int? Maximum { get; init; }

    /// <summary>The only values it takes, or null for any of its type.</summary>
    public IReadOnlyList<string>? Allowed { get; init; }

    /// <summary>The value that applies when it is absent.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>What the values mean (on the value's schema; a description of the parameter itself is its [Description]).</summary>
    public string? Description { get; init; }
}
