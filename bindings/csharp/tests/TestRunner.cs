using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;

namespace Libquant.Tests
{
    /// <summary>Marks a test: a public static method without parameters that throws to fail.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class TestAttribute : Attribute
    {
    }

    /// <summary>Runs every [Test] method of this assembly, prints each failure, and ends with "N passed, M failed".</summary>
    public static class TestRunner
    {
        public static int Main(string[] args)
        {
            if (args.Length == 2 && args[0] == "--probe-load")
            {
                return LoadingTests.ProbeLoad(args[1]);
            }
            string filter = args.Length > 0 ? args[0] : null;

            // Load the library before any test method is compiled (see Native.cs).
            Library.Load();
            Console.WriteLine("libquant " + Library.Version + " from " + Library.LoadedPath);

            List<MethodInfo> tests = typeof(TestRunner).Assembly.GetTypes()
                .OrderBy(type => type.FullName, StringComparer.Ordinal)
                .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .Where(method => method.IsDefined(typeof(TestAttribute), false))
                    .OrderBy(method => method.MetadataToken))
                .Where(method => filter == null || Name(method).IndexOf(filter, StringComparison.Ordinal) >= 0)
                .ToList();

            int passed = 0;
            int failed = 0;
            var total = Stopwatch.StartNew();
            foreach (MethodInfo test in tests)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    test.Invoke(null, null);
                    passed++;
                    Console.WriteLine("PASS {0} ({1} ms)", Name(test), watch.ElapsedMilliseconds);
                }
                catch (TargetInvocationException wrapped)
                {
                    failed++;
                    Exception e = wrapped.InnerException ?? wrapped;
                    Console.WriteLine("FAIL {0} ({1} ms): {2}: {3}", Name(test), watch.ElapsedMilliseconds,
                        e.GetType().Name, e.Message);
                    Console.WriteLine(e.StackTrace);
                }
            }
            Fixture.Shutdown();
            Console.WriteLine("total {0} ms", total.ElapsedMilliseconds);
            Console.WriteLine("{0} passed, {1} failed", passed, failed);
            return failed == 0 && passed > 0 ? 0 : 1;
        }

        private static string Name(MethodInfo method)
        {
            return method.DeclaringType.Name + "." + method.Name;
        }
    }
}
