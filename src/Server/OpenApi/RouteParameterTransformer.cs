using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Onboarding;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// Documents the inputs the handlers read from the request themselves (route values, the <c>hard</c> query, the
/// <c>If-Match</c> header) and the headers they answer with, which the generator cannot see in a handler that takes
/// the raw <see cref="HttpContext"/>.
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
            if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path))
            {
                continue;
            }

            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = RouteValueSchema(name) });
        }

        switch (operation.OperationId)
        {
            case "ResetOnboarding":
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "hard",
                    In = ParameterLocation.Query,
                    Description = "true also removes every step's stored data (API keys are kept).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
                });
                break;
            case "SaveStep":
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-Match",
                    In = ParameterLocation.Header,
                    Description = "The step's ETag as last read; a stale one is answered with 412.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
                break;
            default:
                break;
        }

        if (operation.OperationId is "GetStep" or "SaveStep" or "CompleteStep")
        {
            AddHeader(operation, "200", "ETag", "The step's version, for If-Match on the next save.");
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
