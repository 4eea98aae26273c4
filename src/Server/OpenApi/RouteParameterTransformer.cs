using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Http;
using Onboarding.Core.Onboarding;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// Documents the inputs the handlers read from the request themselves (route values, and the query flags and headers
/// their route's <see cref="RouteDescription"/> names) and the headers they answer with, which the generator cannot
/// see in a handler that takes the raw <see cref="HttpContext"/>.
/// </summary>
internal sealed partial class RouteParameterTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        operation.Parameters ??= [];
        foreach (Match match in RouteValue().Matches(context.Description.RelativePath ?? string.Empty))
        {
            var name = match.Groups[1].Value;
            if (operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Path) is { } bound)
            {
                // A typed handler's route value is a string (an unknown value is its 404, not a binding failure); the
                // schema says which values there are.
                bound.Schema = RouteValueSchema(name);
                continue;
            }

            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = RouteValueSchema(name) });
        }

        // What the route's definition says its handler reads and answers besides the body.
        var description = context.Description.ActionDescriptor.EndpointMetadata.OfType<RouteDescription>().FirstOrDefault();
        foreach (var flag in description?.QueryFlags ?? [])
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = flag.Name,
                In = ParameterLocation.Query,
                Description = flag.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
            });
        }

        foreach (var header in description?.RequestHeaders ?? [])
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        foreach (var header in description?.ResponseHeaders ?? [])
        {
            AddHeader(operation, description!.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), header.Name, header.Description);
        }

        AddHeader(operation, "401", "WWW-Authenticate", "The bearer challenge, naming the error (RFC 6750).");
        AddHeader(operation, "503", "Retry-After", "Seconds to wait before retrying.");
        if (operation.Parameters.Count == 0)
        {
            operation.Parameters = null;
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema RouteValueSchema(string name) => name switch
    {
        "step" => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Minimum = "1",
            Maximum = StepCatalog.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Description = "1 API keys, 2 website, 3 research, 4 persona, 5 integrations (optional), 6 finish.",
        },
        "provider" => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = ProviderCatalog.All.Select(p => (JsonNode)JsonValue.Create(p.Name)).ToList(),
        },
        _ => new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static void AddHeader(OpenApiOperation operation, string status, string header, string description)
    {
        if (operation.Responses?.TryGetValue(status, out var response) is true && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[header] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteValue();
}
