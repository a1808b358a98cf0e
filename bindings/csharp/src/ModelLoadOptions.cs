using System;

namespace Libquant
{
    /// <summary>How <see cref="Model.Load(string, ModelLoadOptions)"/> reads a model (<c>lq_model_options</c>).</summary>
    public sealed class ModelLoadOptions
    {
        /// <summary>Read the file into memory instead of mapping it (<c>LQ_MODEL_NO_MMAP</c>). Default false.</summary>
        public bool NoMemoryMap { get; set; }

        /// <summary>
        /// Load metadata and vocabulary only, to tokenize without weights (<c>LQ_MODEL_VOCAB_ONLY</c>); such a model
        /// cannot create contexts. Default false.
        /// </summary>
        public bool VocabularyOnly { get; set; }

        /// <summary>
        /// Validate the file and read its metadata and tensor table only, for any architecture
        /// (<c>LQ_MODEL_METADATA_ONLY</c>). Default false.
        /// </summary>
        public bool MetadataOnly { get; set; }

        /// <summary>
        /// Called on the loading thread with the fraction done (0 to 1); return false to cancel, which makes the
        /// load throw a <see cref="LibquantException"/> with <see cref="Status.Cancelled"/>. Default null.
        /// </summary>
        public Func<float, bool> Progress { get; set; }

        internal uint Flags
        {
            get
            {
                uint flags = 0;
                if (NoMemoryMap)
                {
                    flags |= 1u << 0;
                }
                if (VocabularyOnly)
                {
                    flags |= 1u << 1;
                }
                if (MetadataOnly)
                {
                    flags |= 1u << 2;
                }
                return flags;
            }
        }
    }
}
