using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Onboarding.Core.Identity;

namespace Onboarding.Benchmarks;

/// <summary><see cref="CurrentUser.DeriveUserKey"/> (once per authenticated request) against the SHA-256 it is built on.</summary>
[MemoryDiagnoser]
public class UserKeyBenchmarks
{
    private const string Issuer = "https://clerk.example.com";
    private const string Subject = "user_2abcdEFGhijkLMNopqRStuvWXyz";
    private readonly byte[] _input = Encoding.UTF8.GetBytes(Issuer + "\n" + Subject);
    private readonly byte[] _hash = new byte[SHA256.HashSizeInBytes];

    [Benchmark(Baseline = true, Description = "SHA-256 of the pre-encoded input (floor)")]
    public int Sha256Only() => SHA256.HashData(_input, _hash);

    [Benchmark(Description = "CurrentUser.DeriveUserKey")]
    public string DeriveUserKey() => CurrentUser.DeriveUserKey(Issuer, Subject);
}
