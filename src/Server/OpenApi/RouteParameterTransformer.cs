using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Http;
using Onboarding.Core.Onboarding;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// Says which values the handlers' bound parameters take, and which headers they answer with. The handlers bind route,
/// query and header values as raw strings on purpose (an unknown step or a bad flag is their own ProblemDetails, not a
/// binding failure), so the generator documents them as strings; and response headers are not part of a typed
/// result. The headers of a route's success answer come from its <see cref="RouteDescription"/>.
/// </summary>
internal sealed class RouteParameterTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (ValueSchema(parameter.In, parameter.Name) is { } schema)
            {
                parameter.Schema = schema;
            }
        }

        var description = context.Description.ActionDescriptor.EndpointMetadata.OfType<RouteDescription>().FirstOrDefault();
        foreach (var header in description?.ResponseHeaders ?? [])
        {
            AddHeader(operation, description!.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), header.Name, header.Description);
        }

        AddHeader(operation, "401", "WWW-Authenticate", "The bearer challenge, naming the error (RFC 6750).");
        AddHeader(operation, "503", "Retry-After", "Seconds to wait before retrying.");
        return Task.CompletedTask;
    }

    private static OpenApiSchema? ValueSchema(ParameterLocation? location, string? name) => (location, name) switch
    {
        (ParameterLocation.Path, "step") => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Minimum = "1",
            Maximum = StepCatalog.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Description = "1 API keys, 2 website, 3 research, 4 persona, 5 integrations (optional), 6 finish.",
        },
        (ParameterLocation.Path, "provider") => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = ProviderCatalog.All.Select(p => (JsonNode)JsonValue.Create(p.Name)).ToList(),
        },
        (ParameterLocation.Query, "hard") => new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
        (ParameterLocation.Header, _) => new OpenApiSchema { Type = JsonSchemaType.String },
        _ => null,
    };

    private static void AddHeader(OpenApiOperation operation, string status, string header, string description)
    {
        if (operation.Responses?.TryGetValue(status, out var response) is true && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[header] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }
}
