using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The least an isolated-worker app with the ASP.NET Core integration does at start: the baseline the Functions app's
// cold start is compared with.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Build().Run();
