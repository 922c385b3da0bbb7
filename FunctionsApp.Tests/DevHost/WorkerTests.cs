using DevHost.Functions;
using DevHost.Rpc;
using DevHost.Worker;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class WorkerTests
{
    [TestMethod]
    public void BuildArguments_Always_PassesFunctionsSwitchesAndMaxMessageLength()
    {
        var args = WorkerProcess.BuildArguments("FunctionsApp.dll", new Uri("http://127.0.0.1:5123/"), "w1", "r1");

        Assert.AreEqual("FunctionsApp.dll", args[0]);
        string After(string name) => args[args.ToList().IndexOf(name) + 1];
        Assert.AreEqual("http://127.0.0.1:5123/", After("--functions-uri"));
        Assert.AreEqual("w1", After("--functions-worker-id"));
        Assert.AreEqual("r1", After("--functions-request-id"));
        Assert.AreEqual("2147483647", After("--functions-grpc-max-message-length"));
        Assert.AreEqual("5123", After("--port"));
    }

    [TestMethod]
    public void WorkerConfig_Parse_ReadsExecutableAndWorkerPath()
    {
        var config = WorkerConfig.Parse("""
            { "description": { "language": "dotnet-isolated", "extensions": [".dll"], "defaultExecutablePath": "dotnet", "defaultWorkerPath": "FunctionsApp.dll", "workerIndexing": "true" } }
            """);

        Assert.AreEqual("dotnet", config.ExecutablePath);
        Assert.AreEqual("FunctionsApp.dll", config.WorkerPath);
    }

    [TestMethod]
    [DataRow(0, Microsoft.Extensions.Logging.LogLevel.Trace)]
    [DataRow(2, Microsoft.Extensions.Logging.LogLevel.Information)]
    [DataRow(3, Microsoft.Extensions.Logging.LogLevel.Warning)]
    [DataRow(5, Microsoft.Extensions.Logging.LogLevel.Critical)]
    [DataRow(6, Microsoft.Extensions.Logging.LogLevel.None)]
    public void ToLogLevel_RpcLevel_MapsToSameLogLevel(int level, Microsoft.Extensions.Logging.LogLevel expected)
    {
        Assert.AreEqual(expected, WorkerChannel.ToLogLevel((RpcLog.Types.Level)level));
    }

    [TestMethod]
    public void Describe_HttpFunction_ReadsTriggerRouteMethodsAndOutput()
    {
        var function = FunctionsFactory.Http("GetItem", "items/{id}", "\"get\",\"post\"");

        Assert.IsTrue(function.IsHttp);
        Assert.AreEqual("req", function.TriggerName);
        Assert.AreEqual("items/{id}", function.Route);
        CollectionAssert.AreEqual(new[] { "GET", "POST" }, function.Methods.ToArray());
        Assert.AreEqual("$return", function.HttpOutputName);
        Assert.AreEqual("id-GetItem", function.FunctionId);
    }

    [TestMethod]
    public void Describe_NoRoute_UsesFunctionName()
    {
        var function = FunctionsFactory.Http("Ping", null);

        Assert.AreEqual("Ping", function.Route);
    }

    [TestMethod]
    public void Describe_NoBindingsMap_BuildsItFromRawBindings()
    {
        var function = FunctionsFactory.Http("Multi", "multi", output: "Http");

        Assert.AreEqual("Http", function.HttpOutputName);
        Assert.AreEqual(BindingInfo.Types.Direction.In, function.Metadata.Bindings["req"].Direction);
        Assert.AreEqual("httpTrigger", function.Metadata.Bindings["req"].Type);
        Assert.AreEqual(BindingInfo.Types.Direction.Out, function.Metadata.Bindings["Http"].Direction);
    }

    [TestMethod]
    public void Describe_BindingsMapPresent_EchoesItUnchanged()
    {
        var metadata = FunctionsFactory.Metadata("Tick", """{"name":"timer","type":"timerTrigger","direction":"In","schedule":"0 */5 * * * *"}""");
        metadata.Bindings["timer"] = new BindingInfo { Type = "timerTrigger", Direction = BindingInfo.Types.Direction.In, DataType = BindingInfo.Types.DataType.String };

        var function = FunctionRegistry.Describe(metadata);

        Assert.IsTrue(function.IsTimer);
        Assert.AreEqual("0 */5 * * * *", function.Schedule);
        Assert.AreEqual(metadata, function.Metadata);
    }

    [TestMethod]
    public void Describe_NoTrigger_Throws()
    {
        var metadata = FunctionsFactory.Metadata("Broken", """{"name":"$return","type":"http","direction":"Out"}""");

        Assert.ThrowsExactly<InvalidDataException>(() => FunctionRegistry.Describe(metadata));
    }

    [TestMethod]
    public void Find_AnyCase_ReturnsFunction()
    {
        var registry = new FunctionRegistry([FunctionsFactory.Http("Health", "health")]);

        Assert.AreEqual("Health", registry.Find("health")?.Name);
        Assert.IsNull(registry.Find("Nope"));
    }

    [TestMethod]
    public void CreateTimerInvocation_Always_SendsTimerInfoJsonAndTraceContext()
    {
        var function = FunctionsFactory.Timer("Tick", "0 */5 * * * *");

        var request = FunctionInvoker.CreateTimerInvocation(function, """{"IsPastDue":true}""", "inv-1");

        Assert.AreEqual("inv-1", request.InvocationId);
        Assert.AreEqual("id-Tick", request.FunctionId);
        Assert.AreEqual("timer", request.InputData.Single().Name);
        Assert.AreEqual("""{"IsPastDue":true}""", request.InputData.Single().Data.Json);
        Assert.IsTrue(request.TriggerMetadata.ContainsKey("TimerTrigger"));
        Assert.IsNotNull(request.TraceContext);
        Assert.AreEqual(55, request.TraceContext.TraceParent.Length);
    }

    [TestMethod]
    public void CreateAdminInvocation_Input_BindsStringToTrigger()
    {
        var function = FunctionRegistry.Describe(FunctionsFactory.Metadata("OnQueue", """{"name":"message","type":"queueTrigger","direction":"In","queueName":"q"}"""));

        var request = FunctionInvoker.CreateAdminInvocation(function, "hello", "inv-2");

        Assert.AreEqual("message", request.InputData.Single().Name);
        Assert.AreEqual("hello", request.InputData.Single().Data.String);
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(2, 2)]
    [DataRow(4, 8)]
    [DataRow(5, 16)]
    [DataRow(9, 16)]
    public void Backoff_Attempt_DoublesUpToTheCap(int attempt, int seconds)
    {
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), WorkerSupervisor.Backoff(attempt));
    }
}
