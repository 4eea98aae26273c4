// TEST DECLARATIONS, written for tests/Onboarding.Functions.Tests. Not copied from, and not a replacement for, the
// Azure Functions packages.
//
// The Microsoft.Azure.Functions.Worker* packages are not in every package feed, so this test project compiles the
// src/Functions sources against Core plus these minimal stand-ins for the few worker types those sources use. Their
// namespaces and member signatures follow the public API of Microsoft.Azure.Functions.Worker 2.x (Core,
// Extensions.Abstractions, Extensions.Http, Extensions.Http.AspNetCore, ApplicationInsights) and of
// Microsoft.ApplicationInsights.WorkerService 2.x; only the members src/Functions needs are declared. Bodies do the
// least a test needs (the middleware test reads the invocation result and the HttpContext through them).
#nullable enable

using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Azure.Functions.Worker.Extensions.Abstractions
{
    public abstract class BindingAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public abstract class TriggerBindingAttribute : BindingAttribute
    {
    }
}

namespace Microsoft.Azure.Functions.Worker
{
    [AttributeUsage(AttributeTargets.Method)]
    public class FunctionAttribute(string name) : Attribute
    {
        public string Name { get; } = name;
    }

    public enum AuthorizationLevel
    {
        Anonymous = 0,
        User = 1,
        Function = 2,
        System = 3,
        Admin = 4,
    }

    public sealed class HttpTriggerAttribute : TriggerBindingAttribute
    {
        public HttpTriggerAttribute() => AuthLevel = AuthorizationLevel.Function;

        public HttpTriggerAttribute(params string[] methods) => Methods = methods;

        public HttpTriggerAttribute(AuthorizationLevel authLevel) => AuthLevel = authLevel;

        public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
        {
            AuthLevel = authLevel;
            Methods = methods;
        }

        public string? Route { get; set; }

        public string[]? Methods { get; private set; }

        public AuthorizationLevel AuthLevel { get; private set; }
    }

    public abstract class FunctionDefinition
    {
        public abstract string Id { get; }

        public abstract string Name { get; }

        public abstract string EntryPoint { get; }

        public abstract string PathToAssembly { get; }
    }

    public abstract class FunctionContext
    {
        public abstract string InvocationId { get; }

        public abstract string FunctionId { get; }

        public abstract IServiceProvider InstanceServices { get; set; }

        public abstract FunctionDefinition FunctionDefinition { get; }

        public abstract IDictionary<object, object> Items { get; set; }

        public virtual CancellationToken CancellationToken { get; } = CancellationToken.None;
    }

    public abstract class InvocationResult<T>
    {
        public abstract T? Value { get; set; }
    }

    public abstract class InvocationResult : InvocationResult<object>
    {
    }

    public static class FunctionContextBindingFeatureExtensions
    {
        private static readonly object ResultKey = new();

        public static InvocationResult GetInvocationResult(this FunctionContext context) => new ItemsInvocationResult(context.Items);

        private sealed class ItemsInvocationResult(IDictionary<object, object> items) : InvocationResult
        {
            public override object? Value
            {
                get => items.TryGetValue(ResultKey, out var value) ? value : null;
                set
                {
                    if (value is null)
                    {
                        items.Remove(ResultKey);
                    }
                    else
                    {
                        items[ResultKey] = value;
                    }
                }
            }
        }
    }

    public static class FunctionContextExtensions
    {
        /// <summary>The ASP.NET Core integration keeps the request's HttpContext in FunctionContext.Items under this key (internal there too).</summary>
        internal const string HttpContextKey = "HttpRequestContext";

        public static HttpContext? GetHttpContext(this FunctionContext context) =>
            context.Items.TryGetValue(HttpContextKey, out var value) ? value as HttpContext : null;
    }

    public interface IFunctionsWorkerApplicationBuilder
    {
        IServiceCollection Services { get; }

        IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware);
    }

    public static class FunctionsApplicationInsightsExtensions
    {
        public static IServiceCollection ConfigureFunctionsApplicationInsights(this IServiceCollection services) => services;
    }
}

namespace Microsoft.Azure.Functions.Worker.Middleware
{
    public delegate Task FunctionExecutionDelegate(FunctionContext context);

    public interface IFunctionsWorkerMiddleware
    {
        Task Invoke(FunctionContext context, FunctionExecutionDelegate next);
    }
}

namespace Microsoft.Azure.Functions.Worker.Builder
{
    public class FunctionsApplication
    {
        public static FunctionsApplicationBuilder CreateBuilder(string[] args) => new(args);
    }

    public class FunctionsApplicationBuilder : IHostApplicationBuilder, IFunctionsWorkerApplicationBuilder
    {
        private readonly HostApplicationBuilder _host;
        private readonly List<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> _middleware = [];

        internal FunctionsApplicationBuilder(string[]? args) => _host = new HostApplicationBuilder(args);

        public IDictionary<object, object> Properties => ((IHostApplicationBuilder)_host).Properties;

        public ConfigurationManager Configuration => _host.Configuration;

        IConfigurationManager IHostApplicationBuilder.Configuration => Configuration;

        public IHostEnvironment Environment => _host.Environment;

        public ILoggingBuilder Logging => _host.Logging;

        public IMetricsBuilder Metrics => _host.Metrics;

        public IServiceCollection Services => _host.Services;

        public IHost Build() => _host.Build();

        public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
            where TContainerBuilder : notnull => _host.ConfigureContainer(factory, configure);

        public IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware)
        {
            _middleware.Add(middleware);
            return this;
        }
    }

    public static class FunctionsApplicationBuilderAspNetCoreExtensions
    {
        public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder) => builder;
    }
}

namespace Microsoft.Extensions.Hosting
{
    public static class MiddlewareWorkerApplicationBuilderExtensions
    {
        public static IFunctionsWorkerApplicationBuilder UseMiddleware<T>(this IFunctionsWorkerApplicationBuilder builder)
            where T : class, IFunctionsWorkerMiddleware
        {
            builder.Services.AddSingleton<T>();
            return builder.Use(next => context => context.InstanceServices.GetRequiredService<T>().Invoke(context, next));
        }
    }
}

namespace Microsoft.Extensions.DependencyInjection
{
    public static partial class ApplicationInsightsExtensions
    {
        public static IServiceCollection AddApplicationInsightsTelemetryWorkerService(this IServiceCollection services) => services;
    }
}
