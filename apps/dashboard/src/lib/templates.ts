// Starting manifests for the Apply page's "Create" links.
export const TEMPLATES: Record<string, string> = {
  Deployment: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: httpd
          image: busybox
          command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www"]
          resources:
            requests:
              cpu: 50m
              memory: 32Mi
`,
  Pod: `apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
    - name: main
      image: busybox
      command: ["sh", "-c", "while true; do echo hello; sleep 5; done"]
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
`,
  VirtualMachine: `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: tiny
spec:
  runStrategy: Always
  template:
    metadata:
      labels:
        kubevirt.io/vm: tiny
    spec:
      domain:
        cpu:
          cores: 1
        resources:
          requests:
            memory: 128Mi
        firmware:
          kernelBoot:
            container:
              image: coxswain/tiny-vm:latest
              kernelPath: /boot/vmlinuz
              initrdPath: /boot/initrd.img
            kernelArgs: console=ttyS0
`,
  Namespace: `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
`,
};
