using System;
using System.Collections.Generic;

namespace Libquant.Tests
{
    /// <summary>A failed expectation.</summary>
    public sealed class AssertionException : Exception
    {
        public AssertionException(string message)
            : base(message)
        {
        }
    }

    /// <summary>The few assertions the tests need.</summary>
    public static class Assert
    {
        public static void True(bool condition, string message)
        {
            if (!condition)
            {
                throw new AssertionException(message);
            }
        }

        public static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                throw new AssertionException(what + ": expected <" + expected + ">, got <" + actual + ">");
            }
        }

        public static T Throws<T>(Action action, string what) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new AssertionException(
                    what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
            }
            throw new AssertionException(what + ": expected " + typeof(T).Name + ", nothing was thrown");
        }

        public static void ProperPrefix(string whole, string prefix, string what)
        {
            True(prefix.Length < whole.Length && whole.StartsWith(prefix, StringComparison.Ordinal),
                what + ": <" + prefix + "> is not a proper prefix of <" + whole + ">");
        }
    }
}
