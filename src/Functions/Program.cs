using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Onboarding.Core;
using Onboarding.Functions;

var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();

// After the ASP.NET Core integration: its middleware runs first and puts the HttpContext on the FunctionContext.
builder.UseMiddleware<SecurityHeadersMiddleware>();
builder.UseMiddleware<BearerAuthenticationMiddleware>();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

builder.Services.AddOnboardingCore(builder.Configuration);

builder.Build().Run();
