using Stickless.Lab.Processes;

namespace Stickless.Lab.Deployment;

/// <summary>Waits until a started process is ready, failing fast (with its log) when it exits instead.</summary>
internal static class Readiness
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);

    /// <summary>Polls <paramref name="isReady"/> until it says yes, the process exits, or <paramref name="cancellationToken"/> ends.</summary>
    /// <exception cref="LabException">The process exited before it was ready.</exception>
    public static async Task WaitAsync(SupervisedProcess process, string what, Func<CancellationToken, Task<bool>> isReady, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!process.IsAlive)
            {
                throw new LabException($"{process.Spec.Name} exited before {what} (log {process.Spec.LogPath}):{Environment.NewLine}{process.LogTail()}");
            }

            try
            {
                if (await isReady(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or System.Net.Sockets.SocketException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or too slow to answer this time: ask again.
            }

            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when GET <paramref name="url"/> answers 200 within a second.</summary>
    public static async Task<bool> AnswersOkAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        using var response = await http.GetAsync(url, timeout.Token).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }
}
