using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// Makes schemas say what is on the wire. The web JSON defaults accept numbers as strings when reading, so the
/// generator types every integer as "integer or numeric string"; the API never binds bodies with those options (Core
/// reads them with strict number handling) and always writes numbers, so integers are plain integers here. The
/// step data objects are the client's own JSON, which the schema says.
/// </summary>
internal sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (schema.Type is { } type
            && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number))
            && schema.Pattern is not null)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (context.JsonTypeInfo.Type == typeof(JsonObject))
        {
            schema.Description ??= "The client's own JSON object; the server checks the fields it needs and keeps the rest as given.";
        }

        return Task.CompletedTask;
    }
}
