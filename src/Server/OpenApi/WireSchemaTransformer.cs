using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// Says what the step data objects are: the client's own JSON, which the generator cannot tell from the
/// <see cref="JsonObject"/> type. (Integers are plain integers because the wire options never read numbers from
/// strings; see <c>ConfigureJson</c> in Core.)
/// </summary>
internal sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonTypeInfo.Type == typeof(JsonObject))
        {
            schema.Description ??= "The client's own JSON object; the server checks the fields it needs and keeps the rest as given.";
        }

        return Task.CompletedTask;
    }
}
