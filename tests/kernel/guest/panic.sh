# Guest payload of kernel.panic: two dead CPUs (the firewall owning the NIC, the timer without
# one), then a kernel panic (sysrq c). The host reads the console: the module's panic notifier
# must have stopped both loops before the machine went down.
. /tests/common.sh
NIC=0000:00:05.0
check "insmod offsched" load_offsched
check "NIC at $NIC bound to offsched" bind_offsched $NIC
check "attach firewall to CPU 1" offschedctl attach --cpu 1 --service firewall
check "attach timer to CPU 2" offschedctl attach --cpu 2 --service timer
check "CPU 1 loop running" rises 1 backend loop_iterations
check "CPU 2 loop running" rises 2 backend loop_iterations
echo "@@PANICKING@@"
# Let the serial console drain first: the panic's printk writes straight to the UART while this
# shell's last lines may still sit in the tty buffer, and the two interleave (a CI run got
# "PAS[ 4.53] KerS: CPU 2 loopnel panic", and the host's greps missed both).
sleep 1
echo c > /proc/sysrq-trigger
echo "FAIL: still alive after sysrq c"
finish
