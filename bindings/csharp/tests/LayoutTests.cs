using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Libquant.Tests
{
    /// <summary>The hand-written struct mirrors against the C compiler's layout (the lq_layout tool).</summary>
    public static class LayoutTests
    {
        private static readonly Type[] Mirrors =
        {
            typeof(Native.lq_model_options),
            typeof(Native.lq_model_info),
            typeof(Native.lq_vocab_info),
            typeof(Native.lq_backend_info),
            typeof(Native.lq_context_options),
            typeof(Native.lq_context_info),
            typeof(Native.lq_generate_options),
            typeof(Native.lq_generate_result),
            typeof(Native.lq_quantize_options),
        };

        [Test]
        public static void EveryMirrorMatchesTheHeader()
        {
            Dictionary<string, long> sizes;
            Dictionary<string, Dictionary<string, long[]>> fields;
            ReadLayout(out sizes, out fields);

            var problems = new List<string>();
            int checkedFields = 0;
            foreach (Type mirror in Mirrors)
            {
                string name = mirror.Name;
                if (!sizes.ContainsKey(name))
                {
                    problems.Add(name + ": not printed by lq_layout");
                    continue;
                }
                if (Marshal.SizeOf(mirror) != sizes[name])
                {
                    problems.Add(name + ": size " + Marshal.SizeOf(mirror) + ", C has " + sizes[name]);
                }
                var mine = new HashSet<string>();
                foreach (FieldInfo field in mirror.GetFields(BindingFlags.Public | BindingFlags.Instance))
                {
                    mine.Add(field.Name);
                    long[] c;
                    if (!fields[name].TryGetValue(field.Name, out c))
                    {
                        problems.Add(name + "." + field.Name + ": not a field in C");
                        continue;
                    }
                    long offset = Marshal.OffsetOf(mirror, field.Name).ToInt64();
                    long size = Marshal.SizeOf(field.FieldType);
                    if (offset != c[0] || size != c[1])
                    {
                        problems.Add(name + "." + field.Name + ": offset " + offset + " size " + size + ", C has " +
                                     c[0] + " " + c[1]);
                    }
                    checkedFields++;
                }
                foreach (string field in fields[name].Keys)
                {
                    if (!mine.Contains(field))
                    {
                        problems.Add(name + "." + field + ": missing from the mirror");
                    }
                }
            }
            Assert.True(problems.Count == 0, string.Join("; ", problems));
            Assert.True(checkedFields > 100, "only " + checkedFields + " fields were compared");
        }

        // "lq_generate_options 120" and "lq_generate_options.seed 80 8".
        private static void ReadLayout(
            out Dictionary<string, long> sizes, out Dictionary<string, Dictionary<string, long[]>> fields)
        {
            var start = new ProcessStartInfo(Fixture.LayoutTool)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
            };
            string output;
            using (Process process = Process.Start(start))
            {
                output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                Assert.Equal(0, process.ExitCode, "lq_layout exit code");
            }
            sizes = new Dictionary<string, long>();
            fields = new Dictionary<string, Dictionary<string, long[]>>();
            foreach (string line in output.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Trim().Split(' ');
                int dot = parts[0].IndexOf('.');
                if (dot < 0)
                {
                    sizes[parts[0]] = long.Parse(parts[1]);
                    fields[parts[0]] = new Dictionary<string, long[]>();
                }
                else
                {
                    fields[parts[0].Substring(0, dot)][parts[0].Substring(dot + 1)] =
                        new[] { long.Parse(parts[1]), long.Parse(parts[2]) };
                }
            }
        }
    }
}
