using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// Makes the document a stable contract: a title and description, and no <c>servers</c> (the generator would list the
/// address that served the request, so every host and port would get a different document; without it clients use
/// the document's own origin).
/// </summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "Onboarding API",
            Version = "v1",
            Description = "Per-user onboarding wizard of an AI content app: six steps, provider API keys kept in a secret store " +
                "(clients only see a masked hint), progress in Table Storage. JSON names are snake_case; errors are RFC 9457 " +
                "ProblemDetails with a `detail` string. Every route except health needs a bearer token from the configured issuer.",
        };
        document.Servers = [];
        return Task.CompletedTask;
    }
}
