using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Onboarding.Server.OpenApi;

/// <summary>
/// The API's OpenAPI 3.1 document at <c>/openapi/v1.json</c> (public: it is the contract, and says nothing about any
/// user), generated once and then served from memory, and, in Development only, a Scalar reference UI at <c>/docs</c>.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "/docs";

    public static IServiceCollection AddOnboardingOpenApi(this IServiceCollection services)
        => services.AddSingleton<CachedOpenApiDocument>().AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<ContractDocumentTransformer>();
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<RouteParameterTransformer>();
            options.AddSchemaTransformer<WireSchemaTransformer>();
        });

    public static WebApplication MapOnboardingOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Served from a copy generated once (MapOpenApi would generate it on every request).
        app.MapGet(DocumentPath, async (CachedOpenApiDocument document, CancellationToken cancellationToken)
                => TypedResults.Bytes(await document.GetAsync(cancellationToken), CachedOpenApiDocument.ContentType))
            .ExcludeFromDescription()
            .AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(DocsPath, options => options
                    .WithTitle("Onboarding API")
                    .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                    .DisableDefaultFonts()
                    .DisableTelemetry())
                .AllowAnonymous();
        }

        return app;
    }
}
