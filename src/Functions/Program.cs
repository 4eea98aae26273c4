using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Onboarding.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureOnboardingFunctions();
builder.Build().Run();
