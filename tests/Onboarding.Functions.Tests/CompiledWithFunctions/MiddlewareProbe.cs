// TEST CODE compiled at test time together with the src/Functions sources and WorkerApiDeclarations.cs, so that it
// can reach the internal BearerAuthenticationMiddleware. It runs the middleware the way the worker does: resolved
// from the container, with a FunctionContext for a named function and a `next` that records whether it ran.
#nullable enable

using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Functions;

namespace Onboarding.Functions.Tests.Probes
{
    public static class MiddlewareProbe
    {
        /// <summary>Invokes the middleware once; returns whether the function would have run and the invocation result it left.</summary>
        public static async Task<(bool FunctionRan, object? InvocationResult)> RunAsync(IServiceProvider services, string functionName, HttpContext? http)
        {
            var middleware = ActivatorUtilities.CreateInstance<BearerAuthenticationMiddleware>(services);
            var context = new ProbeFunctionContext(functionName, services, http);
            var ran = false;
            await middleware.Invoke(context, _ =>
            {
                ran = true;
                return Task.CompletedTask;
            });
            return (ran, context.GetInvocationResult().Value);
        }

        private sealed class ProbeFunctionContext : FunctionContext
        {
            public ProbeFunctionContext(string functionName, IServiceProvider services, HttpContext? http)
            {
                FunctionDefinition = new ProbeFunctionDefinition(functionName);
                InstanceServices = services;
                if (http is not null)
                {
                    Items[FunctionContextExtensions.HttpContextKey] = http;
                }
            }

            public override string InvocationId { get; } = Guid.NewGuid().ToString();

            public override string FunctionId => FunctionDefinition.Id;

            public override IServiceProvider InstanceServices { get; set; }

            public override FunctionDefinition FunctionDefinition { get; }

            public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
        }

        private sealed class ProbeFunctionDefinition(string name) : FunctionDefinition
        {
            public override string Id { get; } = Guid.NewGuid().ToString();

            public override string Name => name;

            public override string EntryPoint => "Onboarding.Functions." + name;

            public override string PathToAssembly => "Onboarding.Functions.dll";
        }
    }
}
