using System.Net;
using System.Net.Sockets;

namespace Taskee.Processes;

/// <summary>Ports for nodes that tests start (HTTP, Orleans silo and gateway).</summary>
public static class FreePorts
{
    private const int Lowest = 20000, Count = 12000;
    private static int _cursor = Random.Shared.Next(Count);

    /// <summary>
    /// A port free now that this process has not handed out before. Not port 0's answer: the kernel hands that same
    /// ephemeral port to the next outgoing connection or listener before the node binds it ("address already in use").
    /// Ports below Linux's ephemeral range (32768-60999) are only ever taken by explicit binds.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            var port = Lowest + (int)((uint)Interlocked.Increment(ref _cursor) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by something else on the machine; try the next one.
            }
        }
    }
}
