using System.Collections.Immutable;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Moq;

namespace Onboarding.Functions.Tests;

/// <summary>
/// A <see cref="FunctionContext"/> for one named function, mocked as far as the worker's own extension methods read it:
/// <c>GetHttpContext()</c> reads <see cref="FunctionContext.Items"/> under the ASP.NET Core integration's key, and
/// <c>GetInvocationResult()</c> reads and writes the invocation's bindings feature in <see cref="FunctionContext.Features"/>.
/// </summary>
internal sealed class WorkerContext
{
    /// <summary>The worker's internal bindings feature type; its assembly lets Moq's proxies implement it.</summary>
    private static readonly Type BindingsFeatureType = typeof(FunctionContext).Assembly.GetType(
        "Microsoft.Azure.Functions.Worker.Context.Features.IFunctionBindingsFeature", throwOnError: true)!;

    /// <summary>The key under which the ASP.NET Core integration puts the request's HttpContext (internal to it).</summary>
    private static readonly string HttpContextKey = (string)typeof(FunctionContextExtensions).Assembly
        .GetType("Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore.Constants", throwOnError: true)!
        .GetField("HttpContextKey", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)!
        .GetRawConstantValue()!;

    public WorkerContext(string functionName, IServiceProvider services, HttpContext? http = null, CancellationToken cancellation = default)
    {
        var bindings = (Mock)Activator.CreateInstance(typeof(Mock<>).MakeGenericType(BindingsFeatureType))!;
        bindings.GetType().GetMethod(nameof(Mock<object>.SetupAllProperties))!.Invoke(bindings, null);
        var bindingsFeature = bindings.Object;

        var features = new Mock<IInvocationFeatures>();
        features.Setup(f => f.Get<It.IsAnyType>())
            .Returns(new InvocationFunc(call => call.Method.GetGenericArguments()[0] == BindingsFeatureType ? bindingsFeature : null!));

        var trigger = new Mock<BindingMetadata>();
        trigger.SetupGet(b => b.Name).Returns("request");
        trigger.SetupGet(b => b.Type).Returns("httpTrigger");
        trigger.SetupGet(b => b.Direction).Returns(BindingDirection.In);

        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Id).Returns(functionName + "-id");
        definition.SetupGet(d => d.Name).Returns(functionName);
        definition.SetupGet(d => d.InputBindings).Returns(ImmutableDictionary<string, BindingMetadata>.Empty.Add("request", trigger.Object));
        definition.SetupGet(d => d.OutputBindings).Returns(ImmutableDictionary<string, BindingMetadata>.Empty);

        if (http is not null)
        {
            Items[HttpContextKey] = http;
        }

        Mock = new Mock<FunctionContext>();
        Mock.SetupGet(c => c.InvocationId).Returns(InvocationId);
        Mock.SetupGet(c => c.FunctionId).Returns(definition.Object.Id);
        Mock.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        Mock.SetupGet(c => c.Items).Returns(Items);
        Mock.SetupGet(c => c.Features).Returns(features.Object);
        Mock.SetupGet(c => c.InstanceServices).Returns(services);
        Mock.SetupGet(c => c.CancellationToken).Returns(cancellation);
    }

    public string InvocationId { get; } = Guid.NewGuid().ToString();

    public IDictionary<object, object> Items { get; } = new Dictionary<object, object>();

    public Mock<FunctionContext> Mock { get; }

    public FunctionContext Object => Mock.Object;

    /// <summary>What the worker's own <c>GetInvocationResult()</c> reads back.</summary>
    public object? InvocationResult => Object.GetInvocationResult().Value;
}
