namespace Libquant
{
    /// <summary>Why a generation ended (C's <c>lq_stop_reason</c>).</summary>
    public enum StopReason
    {
        /// <summary><see cref="GenerateOptions.MaxTokens"/> tokens were generated (<c>LQ_STOP_MAX_TOKENS</c>).</summary>
        MaxTokens = 0,

        /// <summary>The model produced an end-of-generation token such as EOS (<c>LQ_STOP_END_OF_GENERATION</c>).</summary>
        EndOfGeneration = 1,

        /// <summary>A stop string appeared; the text ends before it (<c>LQ_STOP_STRING</c>).</summary>
        StopString = 2,

        /// <summary>The text callback asked to stop (<c>LQ_STOP_CALLBACK</c>).</summary>
        Callback = 3,

        /// <summary>The context has no positions left (<c>LQ_STOP_CONTEXT_FULL</c>).</summary>
        ContextFull = 4,

        /// <summary>
        /// <see cref="Context.Cancel"/> or the call's <see cref="System.Threading.CancellationToken"/> stopped it (C
        /// returned <c>LQ_ERR_CANCELLED</c>, <c>LQ_STOP_CANCELLED</c>); the result holds the text produced until then.
        /// </summary>
        Cancelled = 5,
    }
}
