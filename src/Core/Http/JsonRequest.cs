using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Onboarding.Core.Http;

/// <summary>
/// A typed handler's JSON body, documented as <typeparamref name="T"/>. It binds itself (the framework's body binding
/// would answer bad input with its own 400s) and is read by the handler with <see cref="JsonBody"/>'s checks, inside
/// the protected-route frame, so a rate-limited or unknown-resource request is answered before its body is read. It
/// tells the API explorer that the route accepts <typeparamref name="T"/> as JSON.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "The framework binds and describes a parameter through static members of the parameter's own type.")]
public sealed class JsonRequest<T> : IEndpointParameterMetadataProvider
    where T : class
{
    private readonly HttpRequest _request;

    private JsonRequest(HttpRequest request) => _request = request;

    /// <summary>The body of <paramref name="request"/>, for a host that calls the handler itself (the Functions app).</summary>
    public static JsonRequest<T> Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request);
    }

    /// <summary>Never fails: reading, and answering a bad body, is the handler's.</summary>
    public static ValueTask<JsonRequest<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<JsonRequest<T>?>(Of(context.Request));
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new AcceptsMetadata([JsonBody.ContentType], typeof(T)));
    }

    /// <summary>The required body as <typeparamref name="T"/>, or the 4xx ProblemDetails to answer (<see cref="JsonBody.ReadAsync{T}"/>).</summary>
    public Task<BodyResult<T>> ReadAsync(CancellationToken cancellationToken) => JsonBody.ReadAsync<T>(_request, cancellationToken);

    /// <summary>
    /// The optional body as a JSON object whose fields the handler checks itself (null when empty), or the 4xx
    /// ProblemDetails to answer (<see cref="JsonBody.ReadObjectAsync"/>).
    /// </summary>
    public Task<BodyResult<System.Text.Json.Nodes.JsonObject?>> ReadObjectAsync(CancellationToken cancellationToken)
        => JsonBody.ReadObjectAsync(_request, cancellationToken);
}
