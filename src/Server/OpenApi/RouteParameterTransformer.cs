using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Onboarding.Core.Http;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// Writes into each operation what its route declares but the generator cannot read from a signature: the values of
/// parameters its handler binds as raw strings (<see cref="RouteDescription.Parameters"/>; binding them as int, bool
/// or an enum would turn a bad value into a framework binding failure instead of the handler's own ProblemDetails),
/// and the response headers, which are not part of a typed result (<see cref="RouteDescription.ResponseHeaders"/> on
/// the success answer, <see cref="Problems.Headers"/> on the problem answers).
/// </summary>
internal sealed class RouteParameterTransformer : IOpenApiOperationTransformer
{
    private static readonly Dictionary<Type, JsonSchemaType> ValueTypes = new()
    {
        [typeof(int)] = JsonSchemaType.Integer,
        [typeof(bool)] = JsonSchemaType.Boolean,
        [typeof(string)] = JsonSchemaType.String,
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var description = context.Description.ActionDescriptor.EndpointMetadata.OfType<RouteDescription>().FirstOrDefault();
        if (description is not null)
        {
            var parameters = operation.Parameters?.OfType<OpenApiParameter>().ToList() ?? [];
            foreach (var values in description.Parameters)
            {
                // A declaration that names no parameter of the handler would silently document nothing.
                var parameter = parameters.FirstOrDefault(p => p.Name == values.Name)
                    ?? throw new InvalidOperationException($"'{operation.OperationId}' declares values for '{values.Name}', which its handler does not bind.");
                parameter.Schema = Schema(values);
            }

            foreach (var header in description.ResponseHeaders)
            {
                AddHeader(operation, description.Status, header);
            }
        }

        foreach (var (status, header) in Problems.Headers)
        {
            AddHeader(operation, status, header);
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Schema(ParameterValues values) => new()
    {
        Type = ValueTypes.TryGetValue(values.Type, out var type)
            ? type
            : throw new InvalidOperationException($"Parameter '{values.Name}' is declared as {values.Type.Name}, which the document does not map."),
        Minimum = values.Minimum?.ToString(CultureInfo.InvariantCulture),
        Maximum = values.Maximum?.ToString(CultureInfo.InvariantCulture),
        Enum = values.Allowed?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
        Default = values.Default?.DeepClone(),
        Description = values.Description,
    };

    private static void AddHeader(OpenApiOperation operation, int status, DocumentedValue header)
    {
        if (operation.Responses?.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var response) is true && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }
}
