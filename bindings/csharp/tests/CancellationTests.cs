using System.Threading;
using System.Threading.Tasks;

namespace Libquant.Tests
{
    /// <summary>
    /// Cancellation from another thread, made deterministic: after five pieces the callback signals a second thread,
    /// which cancels and signals back; only then does the callback return "continue".
    /// </summary>
    public static class CancellationTests
    {
        [Test]
        public static void CancelFromAnotherThread()
        {
            GenerateResult reference = Fixture.GreedyReference;
            using (Context context = Fixture.NewContext())
            using (var reached = new SemaphoreSlim(0))
            using (var cancelled = new SemaphoreSlim(0))
            {
                var canceller = new Thread(() =>
                {
                    reached.Wait();
                    context.Cancel();
                    cancelled.Release();
                });
                canceller.Start();
                int pieces = 0;
                GenerateResult result = context.Generate(Fixture.Greedy(), piece =>
                {
                    if (++pieces == 5)
                    {
                        reached.Release();
                        cancelled.Wait();
                    }
                    return true;
                });
                canceller.Join();

                Assert.Equal(StopReason.Cancelled, result.StopReason, "stop reason");
                Assert.ProperPrefix(reference.Text, result.Text, "cancelled text");
                Assert.True(result.GeneratedTokenCount < reference.GeneratedTokenCount,
                    result.GeneratedTokenCount + " tokens, uncancelled " + reference.GeneratedTokenCount);

                // The request was consumed: the context generates normally again.
                GenerateResult again = context.Generate(Fixture.Greedy());
                Assert.Equal(reference.Text, again.Text, "after the cancellation");
            }
        }

        [Test]
        public static void CancellationTokenWithGenerateAsync()
        {
            GenerateResult reference = Fixture.GreedyReference;
            using (Context context = Fixture.NewContext())
            using (var source = new CancellationTokenSource())
            using (var reached = new SemaphoreSlim(0))
            using (var cancelled = new SemaphoreSlim(0))
            {
                int pieces = 0;
                Task<GenerateResult> task = context.GenerateAsync(Fixture.Greedy(), piece =>
                {
                    if (++pieces == 5)
                    {
                        reached.Release();
                        cancelled.Wait();
                    }
                }, source.Token);
                reached.Wait();
                source.Cancel(); // runs the registration, i.e. lq_context_cancel, on this thread
                cancelled.Release();
                GenerateResult result = task.Result;

                Assert.Equal(StopReason.Cancelled, result.StopReason, "stop reason");
                Assert.ProperPrefix(reference.Text, result.Text, "cancelled text");
                Assert.True(result.GeneratedTokenCount < reference.GeneratedTokenCount,
                    result.GeneratedTokenCount + " tokens, uncancelled " + reference.GeneratedTokenCount);

                Assert.Equal(reference.Text, context.Generate(Fixture.Greedy()).Text, "after the cancellation");
                // The token stays cancelled, but it belonged to the finished call only.
                Assert.Equal(reference.Text, context.GenerateAsync(Fixture.Greedy()).Result.Text, "next async call");
            }
        }

        [Test]
        public static void LateTokenDoesNotCancelTheNextCall()
        {
            // The token fires while the callback is about to stop the generation itself: the call ends with
            // StopReason.Callback, and the binding withdraws the request (lq_context_clear_cancel).
            GenerateResult reference = Fixture.GreedyReference;
            using (Context context = Fixture.NewContext())
            using (var source = new CancellationTokenSource())
            {
                int pieces = 0;
                GenerateResult result = context.Generate(Fixture.Greedy(), piece =>
                {
                    if (++pieces < 3)
                    {
                        return true;
                    }
                    var canceller = new Thread(source.Cancel);
                    canceller.Start();
                    canceller.Join();
                    return false;
                }, source.Token);
                Assert.Equal(StopReason.Callback, result.StopReason, "stop reason");

                GenerateResult next = context.Generate(Fixture.Greedy());
                Assert.Equal(StopReason.MaxTokens, next.StopReason, "next call's stop reason");
                Assert.Equal(reference.Text, next.Text, "next call's text");
            }
        }

        [Test]
        public static void AlreadyCancelledTokenReturnsCancelled()
        {
            using (Context context = Fixture.NewContext())
            using (var source = new CancellationTokenSource())
            {
                source.Cancel();
                GenerateResult result = context.Generate(Fixture.Greedy(), null, source.Token);
                Assert.Equal(StopReason.Cancelled, result.StopReason, "stop reason");
                Assert.Equal(Fixture.GreedyReference.Text, context.Generate(Fixture.Greedy()).Text, "next call");
            }
        }

        [Test]
        public static void ExplicitCancelStaysPendingUntilCleared()
        {
            using (Context context = Fixture.NewContext())
            {
                context.Cancel(); // nothing runs: it cancels the next call (C's semantics)
                Assert.Equal(StopReason.Cancelled, context.Generate(Fixture.Greedy()).StopReason, "pending cancel");
                Assert.Equal(StopReason.MaxTokens, context.Generate(Fixture.Greedy()).StopReason, "consumed");

                context.Cancel();
                context.ClearCancellation();
                Assert.Equal(Fixture.GreedyReference.Text, context.Generate(Fixture.Greedy()).Text, "withdrawn");
            }
        }
    }
}
