using System.Diagnostics;
using System.Globalization;
using DevHost.Http;
using DevHost.Rpc;
using DevHost.Worker;
using Microsoft.Extensions.Logging;

namespace DevHost.Functions;

/// <summary>Runs non-HTTP invocations (timers, the admin endpoint) through the worker and logs how they ended.</summary>
internal sealed partial class FunctionInvoker(WorkerChannel channel, TimeSpan functionTimeout, ILogger logger)
{
    /// <summary>The worker this invoker talks to; HTTP invocations go through it too.</summary>
    public WorkerChannel Channel => channel;

    public static InvocationRequest CreateTimerInvocation(FunctionDescriptor function, string timerInfoJson, string invocationId)
    {
        var request = NewRequest(function, invocationId);
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = new TypedData { Json = timerInfoJson } });
        request.TriggerMetadata["TimerTrigger"] = new TypedData { String = DateTime.Now.ToString(CultureInfo.CurrentCulture) };
        return request;
    }

    /// <summary>The admin endpoint's <c>input</c> bound to the trigger as a string (timers get a fresh TimerInfo instead).</summary>
    public static InvocationRequest CreateAdminInvocation(FunctionDescriptor function, string? input, string invocationId)
    {
        var request = NewRequest(function, invocationId);
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = input is null ? new TypedData() : new TypedData { String = input } });
        return request;
    }

    private static InvocationRequest NewRequest(FunctionDescriptor function, string invocationId) => new()
    {
        InvocationId = invocationId,
        FunctionId = function.FunctionId,
        TraceContext = HttpInvoker.CreateTraceContext(null, null),
    };

    public Task InvokeTimerAsync(FunctionDescriptor function, string timerInfoJson, CancellationToken ct) =>
        RunAsync(function, CreateTimerInvocation(function, timerInfoJson, Guid.NewGuid().ToString()), "timer", ct);

    public Task InvokeAdminAsync(FunctionDescriptor function, string? input, string timerInfoJson, CancellationToken ct) =>
        RunAsync(
            function,
            function.IsTimer ? CreateTimerInvocation(function, timerInfoJson, Guid.NewGuid().ToString()) : CreateAdminInvocation(function, input, Guid.NewGuid().ToString()),
            "admin",
            ct);

    private async Task RunAsync(FunctionDescriptor function, InvocationRequest request, string reason, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(functionTimeout);
        try
        {
            var response = await channel.InvokeAsync(request, timeout.Token);
            var status = response.Result?.Status ?? StatusResult.Types.Status.Failure;
            if (status == StatusResult.Types.Status.Success)
            {
                LogSucceeded(logger, function.Name, reason, request.InvocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                LogFailed(logger, function.Name, reason, request.InvocationId, status.ToString(), response.Result?.Exception?.Message ?? string.Empty);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogTimedOut(logger, function.Name, reason, request.InvocationId, functionTimeout);
        }
        catch (WorkerUnavailableException exception)
        {
            LogFailed(logger, function.Name, reason, request.InvocationId, "WorkerUnavailable", exception.Message);
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Executed {FunctionName} ({Reason}, Id={InvocationId}, Duration={DurationMs:0}ms): Succeeded")]
    private static partial void LogSucceeded(ILogger logger, string functionName, string reason, string invocationId, double durationMs);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Executed {FunctionName} ({Reason}, Id={InvocationId}): {Status}: {Error}")]
    private static partial void LogFailed(ILogger logger, string functionName, string reason, string invocationId, string status, string error);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "{FunctionName} ({Reason}, Id={InvocationId}) exceeded functionTimeout {Timeout}; cancelled")]
    private static partial void LogTimedOut(ILogger logger, string functionName, string reason, string invocationId, TimeSpan timeout);
}
